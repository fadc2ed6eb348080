/**
 * `npm run admin -- <command> …`: the tenant registry's admin API from a terminal. Each command is one
 * HTTP call; the answer's JSON goes to stdout (pipe it to jq), errors to stderr with a non-zero exit
 * (1: the API refused, 2: a usage mistake). Against `npm start` by default; on a stage:
 * ADMIN_URL=https://api.example.com ADMIN_API_KEY=… npm run admin -- tenants list
 * Secrets never come from the command line (`ps` and the shell history show it): a secret flag takes `-`
 * and its value is read from a prompt (a terminal) or stdin, one line per `-`, in the order the usage lists
 * them (`--key` first). The admin key goes over plain http only to this machine.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LOCAL_DEFAULTS } from '../local/defaults';

interface Command {
  usage: string;
  help: string;
  /** Method, path and body from the positional arguments and flags (secret flags read through `secret`). */
  request: (args: string[], flags: Flags) => Request | Promise<Request>;
}

interface Request { method: string; path: string; body?: Record<string, unknown> }

type Flags = Partial<Record<'name' | 'oa-secret-key' | 'app-secret' | 'api-key' | 'secret-key' | 'retention-days' | 'events' | 'description' | 'confirm' | 'limit' | 'next' | 'tenant', string>>;

class UsageError extends Error {}

const need = (args: string[], count: number, usage: string): string[] => {
  if (args.length !== count) throw new UsageError(`expected ${count} argument(s): ${usage}`);
  return args.map(encodeURIComponent);
};

/** A line typed at a terminal without echoing it. */
const prompt = (label: string): Promise<string> => new Promise((resolve, reject) => {
  const input = process.stdin;
  process.stderr.write(`${label}: `);
  input.setRawMode(true);
  input.resume();
  let typed = '';
  const done = (error?: Error) => {
    input.setRawMode(false);
    input.pause();
    input.off('data', onData);
    process.stderr.write('\n');
    if (error) reject(error);
    else resolve(typed);
  };
  const onData = (chunk: Buffer) => {
    for (const char of chunk.toString('utf8')) {
      if (char === '\u0003') return done(new UsageError('cancelled'));
      if (char === '\r' || char === '\n') return done();
      typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
    }
    return undefined;
  };
  input.on('data', onData);
});

let stdinLines: string[] | undefined;
/** The next secret: a hidden prompt at a terminal, else the next line of stdin. */
const readSecret = async (label: string): Promise<string> => {
  if (process.stdin.isTTY) return (await prompt(label)).trim();
  stdinLines ??= readFileSync(0, 'utf8').split(/\r?\n/);
  return (stdinLines.shift() ?? '').trim();
};

/**
 * A secret flag's value: absent, or `-` read from the prompt / the next line of stdin. Anything else is
 * refused: a secret typed on the command line is visible to `ps` and kept in the shell history.
 */
const secret = async (flag: string, value: string | undefined): Promise<string | undefined> => {
  if (value === undefined) return undefined;
  if (value !== '-') throw new UsageError(`--${flag} takes "-" and reads the value from stdin or a prompt: a secret on the command line is visible to ps and the shell history`);
  const text = await readSecret(flag);
  if (!text) throw new UsageError(`--${flag}: no value on stdin (one line per "-")`);
  return text;
};

const COMMANDS: Record<string, Command> = {
  'tenants list': { usage: 'tenants list', help: 'every tenant', request: (args) => (need(args, 0, 'tenants list'), { method: 'GET', path: '/api/admin/tenants' }) },
  'tenants create': {
    usage: 'tenants create <id> [--name "ACME Ltd"] [--retention-days 30]',
    help: 'a new tenant (id: ^[a-z0-9][a-z0-9-]{1,62}$); --retention-days: how long its eSMS messages are kept (default MESSAGE_RETENTION_DAYS)',
    request: (args, flags) => {
      const [id] = need(args, 1, 'tenants create <id>');
      return { method: 'POST', path: '/api/admin/tenants', body: {
        id: decodeURIComponent(id!), ...(flags.name ? { name: flags.name } : {}),
        // Sent as a number; the API refuses anything but a whole number of days from 1 to 3650.
        ...(flags['retention-days'] !== undefined ? { retentionDays: Number(flags['retention-days']) } : {}),
      } };
    },
  },
  'tenants get': { usage: 'tenants get <id>', help: 'a tenant with its credentials (ids and times, never a secret)', request: (args) => ({ method: 'GET', path: `/api/admin/tenants/${need(args, 1, 'tenants get <id>')[0]}` }) },
  'tenants suspend': {
    usage: 'tenants suspend <id>', help: 'its API keys get 403 from the next request on; its callbacks and events are still stored',
    request: (args) => ({ method: 'PATCH', path: `/api/admin/tenants/${need(args, 1, 'tenants suspend <id>')[0]}`, body: { suspended: true } }),
  },
  'tenants resume': { usage: 'tenants resume <id>', help: 'undoes suspend', request: (args) => ({ method: 'PATCH', path: `/api/admin/tenants/${need(args, 1, 'tenants resume <id>')[0]}`, body: { suspended: false } }) },
  'tenants update': {
    usage: 'tenants update <id> [--name "ACME Ltd"] [--retention-days 30]', help: 'rename, or change how long its new eSMS messages are kept',
    request: (args, flags) => ({ method: 'PATCH', path: `/api/admin/tenants/${need(args, 1, 'tenants update <id>')[0]}`, body: {
      ...(flags.name ? { name: flags.name } : {}), ...(flags['retention-days'] !== undefined ? { retentionDays: Number(flags['retention-days']) } : {}),
    } }),
  },
  'tenants delete': {
    usage: 'tenants delete <id> --confirm <id>', help: 'offboard: one bounded call of the deletion ({changed, incomplete}); repeat while incomplete is true',
    request: (args, flags) => {
      const [id] = need(args, 1, 'tenants delete <id> --confirm <id>');
      return { method: 'DELETE', path: `/api/admin/tenants/${id}?confirm=${encodeURIComponent(flags.confirm ?? '')}` };
    },
  },
  'keys create': { usage: 'keys create <tenant>', help: 'a read-API key (shown once)', request: (args) => ({ method: 'POST', path: `/api/admin/tenants/${need(args, 1, 'keys create <tenant>')[0]}/api-keys` }) },
  'keys revoke': {
    usage: 'keys revoke <tenant> <keyId>', help: 'revokes a key at once',
    request: (args) => { const [t, k] = need(args, 2, 'keys revoke <tenant> <keyId>'); return { method: 'DELETE', path: `/api/admin/tenants/${t}/api-keys/${k}` }; },
  },
  'tokens create': { usage: 'tokens create <tenant>', help: 'an eSMS callback token and its five callback URLs', request: (args) => ({ method: 'POST', path: `/api/admin/tenants/${need(args, 1, 'tokens create <tenant>')[0]}/esms-tokens` }) },
  'tokens revoke': {
    usage: 'tokens revoke <tenant> <tokenId>', help: 'revokes a token (callbacks with it answer 404 within the cache TTL)',
    request: (args) => { const [t, k] = need(args, 2, 'tokens revoke <tenant> <tokenId>'); return { method: 'DELETE', path: `/api/admin/tenants/${t}/esms-tokens/${k}` }; },
  },
  'apps put': {
    usage: 'apps put <tenant> <appId> [--oa-secret-key -] [--app-secret -]',
    help: 'registers a Zalo app (pending without --oa-secret-key); with a key, sets it and ingests what was kept',
    request: async (args, flags) => {
      const [t, a] = need(args, 2, 'apps put <tenant> <appId>');
      const oaSecretKey = await secret('oa-secret-key', flags['oa-secret-key']);
      const appSecret = await secret('app-secret', flags['app-secret']);
      return { method: 'PUT', path: `/api/admin/tenants/${t}/zalo-apps/${a}`, body: { ...(oaSecretKey ? { oaSecretKey } : {}), ...(appSecret ? { appSecret } : {}) } };
    },
  },
  'apps drain': {
    usage: 'apps drain <tenant> <appId>', help: 'goes on with a drain that answered incomplete',
    request: (args) => { const [t, a] = need(args, 2, 'apps drain <tenant> <appId>'); return { method: 'POST', path: `/api/admin/tenants/${t}/zalo-apps/${a}/drain` }; },
  },
  'apps delete': {
    usage: 'apps delete <tenant> <appId>', help: 'removes a Zalo app with its keys and kept requests (call again while incomplete)',
    request: (args) => { const [t, a] = need(args, 2, 'apps delete <tenant> <appId>'); return { method: 'DELETE', path: `/api/admin/tenants/${t}/zalo-apps/${a}` }; },
  },
  'esms-account set': {
    usage: 'esms-account set <tenant> --api-key - --secret-key -', help: 'the eSMS account reconciliation pulls with',
    request: async (args, flags) => {
      const [t] = need(args, 1, 'esms-account set <tenant>');
      const apiKey = await secret('api-key', flags['api-key']);
      const secretKey = await secret('secret-key', flags['secret-key']);
      if (!apiKey || !secretKey) throw new UsageError('esms-account set needs --api-key and --secret-key');
      return { method: 'PUT', path: `/api/admin/tenants/${t}/esms-account`, body: { apiKey, secretKey } };
    },
  },
  'site-codes add': {
    usage: 'site-codes add <tenant> <code>', help: 'a Zalo domain-verification code served on GET /',
    request: (args) => { const [t, c] = need(args, 2, 'site-codes add <tenant> <code>'); return { method: 'PUT', path: `/api/admin/tenants/${t}/site-verification/${c}` }; },
  },
  'site-codes remove': {
    usage: 'site-codes remove <tenant> <code>', help: 'removes a domain-verification code',
    request: (args) => { const [t, c] = need(args, 2, 'site-codes remove <tenant> <code>'); return { method: 'DELETE', path: `/api/admin/tenants/${t}/site-verification/${c}` }; },
  },
  'destinations list': {
    usage: 'destinations list <tenant>', help: 'the tenant\'s event destinations (never their secrets)',
    request: (args) => ({ method: 'GET', path: `/api/destinations?tenant=${need(args, 1, 'destinations list <tenant>')[0]}` }),
  },
  'destinations create': {
    usage: 'destinations create <tenant> <url> [--events a,b] [--description …]', help: 'registers an endpoint (its secret is shown once); --events: the types it takes (default all)',
    request: (args, flags) => {
      const [t, url] = need(args, 2, 'destinations create <tenant> <url>');
      return { method: 'POST', path: `/api/destinations?tenant=${t}`, body: {
        url: decodeURIComponent(url!), ...(flags.events ? { events: flags.events.split(',').map((type) => type.trim()) } : {}),
        ...(flags.description ? { description: flags.description } : {}),
      } };
    },
  },
  'destinations enable': {
    usage: 'destinations enable <tenant> <id>', help: 'delivers to it again (a replay recovers what it missed)',
    request: (args) => { const [t, d] = need(args, 2, 'destinations enable <tenant> <id>'); return { method: 'PATCH', path: `/api/destinations/${d}?tenant=${t}`, body: { enabled: true } }; },
  },
  'destinations disable': {
    usage: 'destinations disable <tenant> <id>', help: 'stops deliveries to it',
    request: (args) => { const [t, d] = need(args, 2, 'destinations disable <tenant> <id>'); return { method: 'PATCH', path: `/api/destinations/${d}?tenant=${t}`, body: { enabled: false } }; },
  },
  'destinations delete': {
    usage: 'destinations delete <tenant> <id>', help: 'removes it',
    request: (args) => { const [t, d] = need(args, 2, 'destinations delete <tenant> <id>'); return { method: 'DELETE', path: `/api/destinations/${d}?tenant=${t}` }; },
  },
  'destinations rotate-secret': {
    usage: 'destinations rotate-secret <tenant> <id>', help: 'a new secret (shown once); the old one signs beside it for 24 h',
    request: (args) => { const [t, d] = need(args, 2, 'destinations rotate-secret <tenant> <id>'); return { method: 'POST', path: `/api/destinations/${d}/rotate-secret?tenant=${t}` }; },
  },
  'destinations test': {
    usage: 'destinations test <tenant> <id>', help: 'sends it a destination.test event',
    request: (args) => { const [t, d] = need(args, 2, 'destinations test <tenant> <id>'); return { method: 'POST', path: `/api/destinations/${d}/test?tenant=${t}` }; },
  },
  'destinations attempts': {
    usage: 'destinations attempts <tenant> <id>', help: 'its latest delivery attempts (status or error, duration)',
    request: (args) => { const [t, d] = need(args, 2, 'destinations attempts <tenant> <id>'); return { method: 'GET', path: `/api/destinations/${d}/attempts?tenant=${t}` }; },
  },
  'destinations replay': {
    usage: 'destinations replay <tenant> <id> <from ISO> <to ISO>', help: 'sends again every event of the window, same ids',
    request: (args) => {
      const [t, d, from, to] = need(args, 4, 'destinations replay <tenant> <id> <from> <to>');
      return { method: 'POST', path: `/api/destinations/${d}/replay?tenant=${t}`, body: { from: decodeURIComponent(from!), to: decodeURIComponent(to!) } };
    },
  },
  usage: {
    usage: 'usage [YYYY-MM] [--tenant <id>]', help: 'every tenant\'s month (callbacks, duplicates, rejected, zaloEvents, messages, deliveries), or one tenant\'s; default this month',
    request: (args, flags) => {
      if (args.length > 1) throw new UsageError('expected at most 1 argument: usage [YYYY-MM]');
      const query = new URLSearchParams({ ...(args[0] ? { month: args[0] } : {}), ...(flags.tenant ? { tenant: flags.tenant } : {}) });
      return { method: 'GET', path: `/api/usage${query.size > 0 ? `?${query.toString()}` : ''}` };
    },
  },
  'suppressions list': {
    usage: 'suppressions list <tenant> [--limit 100] [--next <cursor>]', help: 'phones and Zalo user ids a new Zalo send would fail for (reason, code, since, message)',
    request: (args, flags) => {
      const [t] = need(args, 1, 'suppressions list <tenant>');
      const query = new URLSearchParams({ tenant: decodeURIComponent(t!), ...(flags.limit ? { limit: flags.limit } : {}), ...(flags.next ? { next: flags.next } : {}) });
      return { method: 'GET', path: `/api/suppressions?${query.toString()}` };
    },
  },
  'suppressions show': {
    usage: 'suppressions show <tenant> <phone>', help: 'one suppression (404: not suppressed)',
    request: (args) => { const [t, p] = need(args, 2, 'suppressions show <tenant> <phone>'); return { method: 'GET', path: `/api/suppressions/${p}?tenant=${t}` }; },
  },
  'suppressions clear': {
    usage: 'suppressions clear <tenant> <phone>', help: 'clears one by hand (a later failure suppresses it again)',
    request: (args) => { const [t, p] = need(args, 2, 'suppressions clear <tenant> <phone>'); return { method: 'DELETE', path: `/api/suppressions/${p}?tenant=${t}` }; },
  },
};

const HELP = `npm run admin -- <command> [arguments] [--url <base URL>] [--key -]

Commands:
${Object.values(COMMANDS).map((command) => `  ${command.usage.padEnd(72)} ${command.help}`).join('\n')}

Base URL: --url, else ADMIN_URL, else http://127.0.0.1:$PORT (npm start); https, or http to this machine only.
Admin key: --key - (read from stdin or a prompt), else ADMIN_API_KEY, else the first of ADMIN_API_KEYS, else npm start's local-admin-key.
Secrets (--key, --oa-secret-key, --app-secret, --api-key, --secret-key) are never given on the command line:
pass "-" and type them at the prompt, or pipe one line per "-" in this order: --key, then the command's own.
Prints the API's JSON answer on stdout; exits 1 when the API refuses (its error on stderr), 2 on a usage mistake.
`;

/** The admin key crosses the network only encrypted: plain http is for this machine (npm start) alone. */
const refusePlainHttp = (base: string): void => {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`not a URL: ${base}`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return;
  throw new UsageError(`refusing to send the admin key to ${url.origin}: use https (plain http only to localhost)`);
};

const main = async (): Promise<number> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' }, url: { type: 'string' }, key: { type: 'string' }, name: { type: 'string' },
      'oa-secret-key': { type: 'string' }, 'app-secret': { type: 'string' }, 'api-key': { type: 'string' }, 'secret-key': { type: 'string' },
      'retention-days': { type: 'string' }, events: { type: 'string' }, description: { type: 'string' }, confirm: { type: 'string' },
      limit: { type: 'string' }, next: { type: 'string' }, tenant: { type: 'string' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  // One-word commands (`usage`) take their arguments right after the name.
  const name = COMMANDS[positionals[0]!] ? positionals[0]! : positionals.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  const base = (values.url ?? process.env.ADMIN_URL ?? `http://127.0.0.1:${process.env.PORT ?? LOCAL_DEFAULTS.PORT}`).replace(/\/+$/, '');
  refusePlainHttp(base);
  const key = (await secret('key', values.key)) ?? process.env.ADMIN_API_KEY ?? (process.env.ADMIN_API_KEYS ?? LOCAL_DEFAULTS.ADMIN_API_KEYS).split(',')[0]!.trim();
  const { method, path, body } = await command.request(positionals.slice(name.split(' ').length), values);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    process.stderr.write(`cannot reach ${base} (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}): is the stack running (npm start), or is --url/ADMIN_URL right?\n`);
    return 1;
  }
  const text = await response.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    process.stderr.write(`${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  if (response.ok) return 0;
  const error = (answer as { error?: { field?: string; message?: string }; message?: string }).error;
  process.stderr.write(`${method} ${path}: HTTP ${response.status}${error ? ` (${error.field}): ${error.message}` : ''}\n`);
  return 1;
};

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${error instanceof UsageError ? 'npm run admin -- --help lists the commands.\n' : ''}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
