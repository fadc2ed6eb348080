/**
 * `npm run reconcile -- [--tenant default] [--from <ISO>] [--to <ISO>]`: asks eSMS about the tenant's
 * messages of the window without a final status and sweeps eSMS's sent-data list for SMSIDs never called
 * back (lib/reconcile/reconcile.ts), with a progress bar on stderr and the result as JSON on stdout.
 * Against `npm start` by default (its tables and its fake eSMS); on a stage set MESSAGES_TABLE,
 * ESMS_API_BASE_URL, ESMS_API_KEY, ESMS_SECRET_KEY and AWS credentials. Safe to run twice or concurrently.
 */
import '../local/quiet';
import { parseArgs } from 'node:util';
import { settings } from '../../lib/config/settings';
import { buildEsmsPullApi } from '../../lib/esms-api';
import { reconcile } from '../../lib/reconcile/reconcile';
import { buildDocumentClient } from '../../lib/store/client';
import { buildEsmsStore } from '../../lib/store/esms-messages';
import { vietnamIso } from '../../lib/time';
import { applyToolDefaults } from '../local/defaults';
import { progressBar } from './progress';

applyToolDefaults();

const { values } = parseArgs({ options: { tenant: { type: 'string', default: 'default' }, from: { type: 'string' }, to: { type: 'string' } } });

const instant = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`--${name} must be an ISO 8601 instant, got ${JSON.stringify(text)}`);
  return ms;
};

const main = async () => {
  const config = settings();
  if (!config.esmsAccount) throw new Error('no eSMS account: set ESMS_API_KEY and ESMS_SECRET_KEY');
  const toMs = instant('to', values.to, Date.now());
  const fromMs = instant('from', values.from, toMs - 86_400_000);
  if (toMs < fromMs || toMs - fromMs > 7 * 86_400_000) throw new Error('--from must be before --to, at most 7 days apart (eSMS keeps status for 7 days)');
  const doc = buildDocumentClient(config.dynamodbEndpoint);
  const ask = progressBar(process.stderr, 'asking eSMS      ');
  const sweep = progressBar(process.stderr, 'sweeping sent data');
  const result = await reconcile({
    api: buildEsmsPullApi({ baseUrl: config.esmsApiBaseUrl, statusBaseUrl: config.esmsStatusApiBaseUrl }),
    store: buildEsmsStore(doc, config.messagesTable, () => config.messageRetentionDays, config.batchRecipientsPerShard),
    now: Date.now,
    // Pending messages are found page by page, so the asking bar's total grows until the sweep starts.
    progress: ({ phase, done, total }) => {
      if (phase === 'ask') return ask.show(total === 0 ? 0 : done / total, `${done}/${total} found so far`);
      ask.done('');
      if (done >= total) sweep.done(`${done}/${total} SMS types`);
      else sweep.show(done / total, `${done}/${total} SMS types`);
    },
  }, values.tenant ?? 'default', config.esmsAccount, { fromMs, toMs });
  ask.done('');
  doc.destroy();
  console.log(JSON.stringify({ tenant: values.tenant, from: vietnamIso(fromMs), to: vietnamIso(toMs), ...result }, null, 2));
  process.exitCode = result.denied || result.failed > 0 ? 1 : 0;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
