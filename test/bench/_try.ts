import { buildBundle, VARIANTS } from './bundle-build';
(async () => { for (const v of VARIANTS) {
  const r = await buildBundle('/work/main/functions/esms-sms.ts', `/work/main/bench-results/try/${v.id}.js`, v);
  console.log(v.id, r.bytes, r.gzipBytes);
} })();
