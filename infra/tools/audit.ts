/**
 * `npm run audit -- --from 2026-01-01 [--to 2026-01-31] [--tenant acme] [--repair] [--segments 4]`:
 * recomputes the counters of those days from the stored messages (one streaming scan) and prints a JSON
 * report of every difference from the live counters on stdout, progress on stderr. `--repair` writes each
 * differing counter back with a conditional ADD that refuses counters the stream moved meanwhile (listed
 * in `changedDuringAudit`: run the audit again) and the phone index entries found missing (`phoneIndex`).
 * Exit code 1 while counter differences or missing index entries remain unrepaired, 2 on error. Reads MESSAGES_TABLE, COUNTERS_TABLE and, locally, DYNAMODB_ENDPOINT (defaults match `npm start`
 * when DATA_DIR's engine is running).
 */
import '../local/quiet';
import { parseArgs } from 'node:util';
import { unrepairedCounters } from '../../lib/reports/audit';
import { applyToolDefaults } from '../local/defaults';
import { runAudit } from './audit-run';

applyToolDefaults();

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    tenant: { type: 'string' },
    segments: { type: 'string' },
    repair: { type: 'boolean', default: false },
  },
});

const segments = values.segments === undefined ? undefined : Number(values.segments);

if (segments !== undefined && !(Number.isInteger(segments) && segments >= 1 && segments <= 64)) {
  console.error('--segments must be a whole number from 1 to 64');
  process.exitCode = 2;
} else {
  runAudit({ from: values.from, to: values.to, tenant: values.tenant, segments, repair: values.repair ?? false, progress: process.stderr })
    .then((report) => {
      console.log(JSON.stringify(report, null, 2));
      if (report.advice) console.error(report.advice);
      const index = report.phoneIndex;
      process.exitCode = unrepairedCounters(report) > 0 || (index !== undefined && index.missing > index.restored) ? 1 : 0;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    });
}
