/**
 * `npm run audit -- --from 2026-01-01 [--to 2026-01-31] [--repair]`: recomputes the counters of those
 * days from the stored messages and prints every difference from the live counters (exit code 1 when
 * any); `--repair` writes the recomputed values. Reads MESSAGES_TABLE, COUNTERS_TABLE and, locally,
 * DYNAMODB_ENDPOINT (defaults match `npm start` when DATA_DIR's engine is running).
 */
import '../local/quiet';
import { parseArgs } from 'node:util';
import { applyToolDefaults } from '../local/defaults';
import { runAudit } from './audit-run';

applyToolDefaults();

const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, repair: { type: 'boolean', default: false } },
});

runAudit({ from: values.from, to: values.to, repair: values.repair ?? false, progress: process.stderr })
  .then((report) => {
    console.log(JSON.stringify(report, null, 2));
    process.exitCode = report.differences.length > 0 && !report.repaired ? 1 : 0;
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  });
