/**
 * `npm run sink`: a local receiver for event destinations. It verifies each request's signature with the
 * `standardwebhooks` package, as a partner's receiver would, and prints the event. Register it on the local
 * stack (the line `npm start` prints), then start it with the secret the registration answered:
 *   SINK_SECRET=whsec_… npm run sink        (or: npm run sink -- whsec_…)
 * Without a secret it prints events unverified. SINK_PORT: its port (default 4010). SINK_STATUS: the status
 * it answers (default 204; 500 shows the retries).
 */
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const port = Number(process.env.SINK_PORT ?? '4010');
const secret = process.argv[2] ?? process.env.SINK_SECRET;
const status = Number(process.env.SINK_STATUS ?? '204');
const verifier = secret ? new Webhook(secret) : undefined;

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let verdict = 'not verified (no SINK_SECRET)';
    if (verifier) {
      try {
        verifier.verify(body, req.headers as Record<string, string>);
        verdict = 'signature ok';
      } catch (error) {
        verdict = `SIGNATURE REFUSED: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    console.log(`${new Date().toISOString()} ${String(req.headers['webhook-id'])} ${verdict}\n${body}\n`);
    res.writeHead(verdict.startsWith('SIGNATURE') ? 401 : status).end();
  });
}).listen(port, '127.0.0.1', () => {
  console.log(`sink listening on http://127.0.0.1:${port}/ (${verifier ? 'verifying signatures' : 'no SINK_SECRET: printing unverified'})`);
});
