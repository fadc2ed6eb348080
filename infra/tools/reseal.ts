/**
 * `npm run reseal`: after a zalo-token-key rotation has reached `<new>,<old>`, seals every stored secret
 * again with `<new>` (infra/tools/reseal-run.ts) and prints `{resealed, alreadyCurrent, failed}`. Exit code
 * 1 while a value could not be opened, 2 on error. Reads ZALO_TOKEN_KEY (the ring), MESSAGES_TABLE,
 * REGISTRY_TABLE and, locally, DYNAMODB_ENDPOINT (defaults match `npm start`); on a stage, AWS credentials.
 */
import '../local/quiet';
import { settings } from '../../lib/config/settings';
import { tokenKeyring } from '../../lib/seal';
import { buildDocumentClient } from '../../lib/store/client';
import { applyToolDefaults } from '../local/defaults';
import { resealAll } from './reseal-run';

applyToolDefaults();
const config = settings();

const main = async () => {
  if (!config.registryTable) throw new Error('missing required setting REGISTRY_TABLE');
  // Against a stage (no DYNAMODB_ENDPOINT) the public local key is refused, as the functions refuse it.
  const keys = tokenKeyring(config.zaloTokenKey, { allowLocalDevKey: config.dynamodbEndpoint !== undefined });
  const report = await resealAll({ doc: buildDocumentClient(config.dynamodbEndpoint), registryTable: config.registryTable, messagesTable: config.messagesTable, keys });
  console.log(JSON.stringify(report, null, 2));
  return report.failed.length > 0 ? 1 : 0;
};

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
