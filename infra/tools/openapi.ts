/** `npm run openapi`: writes docs/openapi.json from serverless.yml's routes and the valibot schemas. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../local/routes';
import { buildOpenApi } from './openapi-document';

const file = join(PROJECT_ROOT, 'docs', 'openapi.json');
writeFileSync(file, `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log(`wrote ${file}`);
