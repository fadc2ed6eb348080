/** What every bench stack runs with: quiet logs, no EMF output, a known token. */
export const BENCH_TOKEN = 'bench-token';
export const BENCH_ENV = {
  ESMS_CALLBACK_TOKENS: BENCH_TOKEN,
  API_KEYS: 'bench-key',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};
