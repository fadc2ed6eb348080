/**
 * One place per function: its manifest (functions/<file>.json). This file proves that
 * - the checker (infra/tools/iam-check.ts) catches a role that differs from its manifest, on a deliberately
 *   wrong fixture (test/fixtures/manifest/), and finds nothing on the packaged templates of both stages;
 * - a malformed manifest stops `sls package` (the loader refuses it, naming the file and the mistake);
 * - each manifest's handler is a file of functions/ that exports that handler and imports only its wiring;
 * - each key glob of a manifest admits every key of exactly one kind that lib/table's builders produce, and
 *   no key of another kind.
 * test/infra/leading-keys.test.ts runs the functions on DynamoDB Local under their manifest's grants.
 */
import { alertsPk, attemptsPk, destinationKey, destinationsPk, eventLogPk, slotsPk, unparsedClaimKey } from '../../lib/table/destinations';
import { suppressionKey, suppressionPk } from '../../lib/table/suppressions';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { manifestModule } from '../../infra/manifests/manifests';
import { PROJECT_ROOT } from '../../infra/local/routes';
import { checkRoles, formatViolation, globMatches, type CheckContext } from '../../infra/tools/iam-check';
import { denialOf } from '../../infra/tools/iam-simulate';
import { COUNTER_BUCKETS, counterKeys, dayBucketPk, deadLetterPk, shardWatermarkKey } from '../../lib/table/counters';
import { DAY_INDEX, REQUEST_INDEX, callbackPk, dayIndexPk, dayIndexValues, erasureMarkKey, headKey, messagePk, overflowKey, phoneIndexKey, requestIndexPk } from '../../lib/table/esms';
import { TABLE_DEFINITIONS, ZALO_MSG_INDEX } from '../../lib/table/names';
import { BACKFILL_PK, backfillJobKey, OAUTH_PK, oauthFlowKey, oauthLinkKey, oauthTokenKey } from '../../lib/table/oauth';
import { rejectedDayPk, rejectedKey } from '../../lib/table/rejected';
import { apiKeyKey, credentialIndexKey, esmsAccountKey, esmsTokenKey, pendingPk, pendingSourceKey, siteCodeKey, tenantCredentialsPk, tenantKey, zaloAppKey } from '../../lib/table/registry';
import {
  consentKey, conversationPk, followerKey, followersPk, journeyKey, messagePk as zaloMessagePk, oaStatePk, quotaKey, receiptsPk, tagsKey, templateKey, trackingKey, trackingPk, zaloEventKey,
} from '../../lib/table/zalo';
import { PACKAGE_TIMEOUT_MS, packagedTemplate } from '../support/packaged-template';

const manifests = manifestModule.loadManifests();
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'manifest');

const context = (stage: string): CheckContext => ({
  service: 'vn-messaging-webhooks', stage, tables: Object.keys(TABLE_DEFINITIONS), streamRead: manifestModule.STREAM_READ, sqsConsume: manifestModule.SQS_CONSUME,
});

// Packaged once per stage per run, shared with package.test.ts and cfn-spec.test.ts.
const stages = { sandbox: packagedTemplate('sandbox'), prod: packagedTemplate('prod') };

describe('the manifest checker (infra/tools/iam-check.ts)', () => {
  it('reports each deliberate violation of test/fixtures/manifest/template.json (README.md lists them), and nothing about apiOaFollowers', () => {
    const template = JSON.parse(readFileSync(join(FIXTURES, 'template.json'), 'utf8')) as Parameters<typeof checkRoles>[1];
    const violations = checkRoles(manifestModule.loadManifests(join(FIXTURES, 'functions')), template, context('sandbox'));
    expect(violations.map(formatViolation).sort()).toEqual([
      'condition-mismatch aggregator: its role grants dynamodb:PutItem on table:Counters for condition {"ForAnyValue:StringLike":{"dynamodb:LeadingKeys":["T#*#CNT#*","DLQ#*"]}}, its manifest says LeadingKeys DLQ#* T#*#CNT#*',
      'condition-mismatch aggregator: its role grants dynamodb:UpdateItem on table:Counters for condition {"ForAnyValue:StringLike":{"dynamodb:LeadingKeys":["T#*#CNT#*","DLQ#*"]}}, its manifest says LeadingKeys DLQ#* T#*#CNT#*',
      'condition-mismatch apiOaUserMessages: its role grants dynamodb:Query on table:Messages for LeadingKeys Z*, its manifest says LeadingKeys ZCONV#*',
      'condition-mismatch apiRejected: its role grants dynamodb:Query on table:Messages for any key, its manifest says LeadingKeys T#*#REJ#*',
      'extra-grant esmsSms: its role grants dynamodb:DeleteItem on table:Messages (LeadingKeys T#*#M#* T#*#REJ#*), which its manifest does not list',
      'missing-function apiZaloJourney: its manifest declares it, but the template has no such Lambda function',
      'missing-grant aggregator: its manifest lists sqs:SendMessage on queue:AggregatorDeadLetterQueue (any key), which its role does not grant',
      'missing-grant apiRejected: its manifest lists ssm:GetParameters on parameter:api-keys (any key), which its role does not grant',
      'setting-mismatch aggregator: Timeout is 900, its manifest says 60',
      'unknown-function debug: the template deploys it, but no manifest declares it',
    ].sort());
    expect(violations.filter((violation) => violation.fn === 'apiOaFollowers')).toEqual([]);
  });

  it.each(['sandbox', 'prod'] as const)('finds no violation in the packaged %s template: every role is exactly its manifest', { timeout: PACKAGE_TIMEOUT_MS }, async (stage) => {
    const { template } = await stages[stage];
    expect(checkRoles(manifests, template, context(stage)).map(formatViolation)).toEqual([]);
  });

  it.each(['sandbox', 'prod'] as const)('the packaged %s template limits every table statement whose manifest names key globs (no table grant is left unscoped by accident)', { timeout: PACKAGE_TIMEOUT_MS }, async (stage) => {
    const { template } = await stages[stage];
    const unscoped: string[] = [];
    for (const [fn, m] of Object.entries(manifests)) {
      const role = template.Resources[manifestModule.roleLogicalId(fn)]!;
      const statements = (role.Properties.Policies as Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }>)[0]!.PolicyDocument.Statement;
      const grants = manifestModule.tableGrants(m);
      for (const [table, grant] of grants) {
        // A table with several grants has one statement each, in the manifest's order.
        const nth = grants.filter(([other]) => other === table).indexOf(grants.find(([other, g]) => other === table && g === grant)!);
        const statement = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify([{ 'Fn::GetAtt': [`${table}Table`, 'Arn'] }]))[nth];
        expect(statement?.Action, `${fn} ${table} #${nth}`).toEqual(grant.actions);
        const condition = statement?.Condition as Record<string, Record<string, string[]>> | undefined;
        if (grant.leadingKeys) expect(condition, `${fn} ${table}`).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': grant.leadingKeys } });
        else unscoped.push(`${fn} ${table}`);
      }
    }
    // A manifest that opts out says why (anyKey); only those are unscoped (today: the offboarding Scan).
    const declared = Object.entries(manifests).flatMap(([fn, m]) => manifestModule.tableGrants(m)
      .filter(([, grant]) => typeof grant.anyKey === 'string').map(([table]) => `${fn} ${table}`));
    expect(unscoped.sort()).toEqual(declared.sort());
    expect(declared.sort()).toEqual(['apiAdminTenantsDelete Counters', 'apiAdminTenantsDelete Messages']);
  });

  it('a table with several grants is one statement each: the functions that record last-used times UpdateItem only the credential index, and read only their own registry prefixes', () => {
    const allows = (fn: string, action: string, key: string) => denialOf(manifests[fn]!, { action: `dynamodb:${action}`, table: 'Registry', keys: [key] }) === undefined;
    const index = credentialIndexKey('acme', 'api-key', 'k1').pk;
    for (const [fn, own] of [['apiEsmsMessage', apiKeyKey('k1').pk], ['esmsSms', esmsTokenKey('t1').pk], ['zaloWebhook', zaloAppKey('9100000000000000001').pk]] as const) {
      expect([allows(fn, 'UpdateItem', index), allows(fn, 'GetItem', own), allows(fn, 'GetItem', index)], fn).toEqual([true, true, false]);
    }
    expect(allows('apiEsmsMessage', 'UpdateItem', apiKeyKey('k1').pk)).toBe(false);
    expect(allows('esmsSms', 'UpdateItem', esmsTokenKey('t1').pk)).toBe(false);
    expect(allows('esmsSms', 'UpdateItem', tenantKey('acme').pk)).toBe(false);
    const statements = manifestModule.roleStatements(manifests.esmsSms!, { service: 's', stage: 'x' }).filter((statement) => JSON.stringify(statement.Resource).includes('RegistryTable'));
    expect(statements.map((statement) => [statement.Action, statement.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']])).toEqual([
      [['dynamodb:GetItem'], ['ESMSTOKEN#*', 'TENANTS']],
      [['dynamodb:UpdateItem'], ['T#*#CRED']],
    ]);
  });

  it('IAM StringLike semantics: * spans any characters including #, ? exactly one, whole string, case-sensitive', () => {
    expect(globMatches('T#*#M#*', 'T#acme#M#S1')).toBe(true);
    expect(globMatches('T#*#M#*', 'T#a#b#M#')).toBe(true);
    expect(globMatches('T#*#M#*', 'T#acme#m#S1')).toBe(false);
    expect(globMatches('T#*#M#*', 'xT#acme#M#S1')).toBe(false);
    expect(globMatches('OAUTH', 'OAUTH')).toBe(true);
    expect(globMatches('OAUTH', 'OAUTH2')).toBe(false);
    expect(globMatches('DLQ#????-??-??', 'DLQ#2024-05-01')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });
});

describe('the manifests', () => {
  it('serverless.yml takes its functions from the manifests (infra/manifests/index.js), and declares none by hand', () => {
    const doc = parse(readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8')) as { functions: unknown };
    expect(doc.functions).toBe('${file(./infra/manifests/index.js)}');
  });

  it('a malformed manifest is refused with its file and every mistake named (sls package stops there)', () => {
    expect(() => manifestModule.loadManifests(join(FIXTURES, 'malformed'))).toThrow(new Error([
      'malformed function manifests:',
      'functions/bad-grants.json: unknown key "permissions"',
      'functions/bad-grants.json: secret "db-password" is not defined in infra/ssm-parameters.json',
      'functions/bad-grants.json: table "Users" is not in infra/tables.json',
      'functions/bad-grants.json: tables.Users.actions must list dynamodb: actions',
      'functions/bad-grants.json: tables.Messages needs exactly one of leadingKeys (globs) or anyKey (why no condition)',
      'functions/bad-grants.json: index "Messages.byPhone" is not in infra/tables.json',
      'functions/bad-trigger.json: handler must be "functions/<file>.<export>"',
      'functions/bad-trigger.json: trigger must be exactly one of httpApi, schedule, stream, sqs',
      'functions/bad-trigger.json: unknown setting "runtime"',
    ].join('\n  ')));
  });

  it('every handler file of functions/ has a manifest named after it, and every manifest names the handler of its own file', () => {
    const handlers = readdirSync(join(PROJECT_ROOT, 'functions')).filter((name) => name.endsWith('.ts')).map((name) => name.replace(/\.ts$/, '')).sort();
    expect(Object.values(manifests).map((m) => m.file).sort()).toEqual(handlers);
    for (const m of Object.values(manifests)) expect(m.handler.slice(0, m.handler.lastIndexOf('.')), m.file).toBe(`functions/${m.file}`);
  });

  it.each(Object.entries(manifests).map(([fn, m]) => [fn, m.handler]))(
    '%s: %s exists, exports that handler, and imports nothing but its lib/wiring module',
    (_fn, handler) => {
      const dot = handler.lastIndexOf('.');
      const file = join(PROJECT_ROOT, `${handler.slice(0, dot)}.ts`);
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const imports = source.statements.filter(ts.isImportDeclaration).map((node) => (node.moduleSpecifier as ts.StringLiteral).text);
      expect(imports).toHaveLength(1);
      expect(imports[0]).toMatch(/^\.\.\/lib\/wiring\/[a-z-]+$/);
      const exported = source.statements.flatMap((node) => {
        const exportedNode = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        if (ts.isVariableStatement(node) && exportedNode) return node.declarationList.declarations.map((d) => d.name.getText(source));
        if (ts.isFunctionDeclaration(node) && exportedNode && node.name) return [node.name.text];
        if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) return node.exportClause.elements.map((e) => e.name.text);
        return [];
      });
      expect(exported).toContain(handler.slice(dot + 1));
    },
  );
});

/**
 * Keys of every kind, as lib/table's builders produce them, per key space: each table's partition key and
 * each index's hash key. Odd but legal values (a `#` inside an SMSID, a tenant named like a marker) make
 * sure a glob does not match by accident. The limit of StringLike: `*` spans `#`, so an SMSID that itself
 * contains `#REJ#` gives a message key the rejected glob admits; the globs bound what a function can
 * reach by kind of item, not by tenant (every glob starts `T#*`).
 */
const DAY = '2024-05-01';
const AT = Date.parse('2024-05-01T08:30:00+07:00');
const zaloEvent = (msgIds: string[], oaId?: string, userId?: string) =>
  zaloEventKey({ tenant: 'acme', msgIds, oaId, userId, appId: '3482178216594085616', eventTime: AT, dedupKey: 'user_send_text#x' }).pk;
const KEY_SPACES: Record<string, Record<string, string[]>> = {
  Messages: {
    'eSMS message (head and callbacks)': [messagePk('acme', 'S1'), headKey('default', 'a1b2-c3').pk, overflowKey('acme', 'S#2', '84901234567', '5#abc').pk, messagePk('D', 'CNT')],
    'eSMS batch shard (callbacks of a large batch)': [callbackPk('acme', 'S1', 4, 3), overflowKey('default', 'S#2', '84901234567', '5#abc', 1024).pk],
    'eSMS phone index': [phoneIndexKey('acme', '84901234567', 'S1').pk, phoneIndexKey('default', '312158068343230', 'M#1').pk],
    'eSMS erasure mark': [erasureMarkKey('acme', '84901234567').pk, erasureMarkKey('P', 'M#1').pk],
    'rejected request': [rejectedDayPk('acme', DAY), rejectedKey('default', '2024-05-01T01:02:03.000Z#ab12cd34').pk, rejectedDayPk('M', DAY)],
    'Zalo event by msg_id': [zaloMessagePk('default', '8a7b6c5d4e3f'), zaloEvent(['m1']), zaloEvent(['m1', 'm2'])],
    'Zalo receipt naming several messages': [receiptsPk('acme', 'oa1', 'u1'), zaloEvent(['m1', 'm2'], 'oa1', 'u1')],
    'Zalo event by OA and day': [zaloEvent([], '1397492183140006179'), zaloEvent([])],
    'Zalo conversation': [conversationPk('acme', '1397492183140006179', '2512523625412515')],
    'Zalo tracking id': [trackingPk('acme', 'order-2026-0001'), trackingKey('default', 'ZTRK', 'a4d0243feee163bd3af2').pk],
    'Zalo follower': [followersPk('acme', 'oa1'), followerKey('default', 'oa1', 'u1').pk],
    'Zalo OA state': [templateKey('acme', 'oa1', 't1').pk, quotaKey('acme', 'oa1').pk, tagsKey('default', 'oa1').pk, oaStatePk('acme', 'oa#2')],
    'Zalo call consent': [consentKey('acme', 'oa1', '84901234567').pk],
    'Zalo Journey': [journeyKey('acme', 'j1').pk],
    'OA tokens': [OAUTH_PK, oauthTokenKey('acme', 'oa1').pk],
    'OA connection flow': [oauthFlowKey('n0nce').pk],
    'OA connection link': [oauthLinkKey('n0nce').pk],
    'followers backfill job': [BACKFILL_PK, backfillJobKey('acme', 'oa1').pk],
    'event destination': [destinationsPk('acme'), destinationKey('default', 'dst_abcdefghijklmnopqrst').pk],
    'destination attempt': [attemptsPk('acme', 'dst_abcdefghijklmnopqrst'), attemptsPk('D', 'EST')],
    'destination event log': [eventLogPk('acme', DAY, 3), eventLogPk('acme', DAY), eventLogPk('EVT', DAY, 0)],
    'destination in-flight slots': [slotsPk('acme', 'dst_abcdefghijklmnopqrst'), slotsPk('D', 'FLY')],
    'alert sources': [alertsPk('acme', DAY), unparsedClaimKey('ALERT', `${DAY}T09`).pk],
    'suppression': [suppressionKey('acme', '84901234567').pk, suppressionPk('default', 15), suppressionKey('SUP', '5308693166941955879').pk],
  },
  Registry: {
    'tenant': [tenantKey('acme').pk, tenantKey('default').pk],
    'API key': [apiKeyKey('k0123456789abcdef').pk],
    'eSMS callback token': [esmsTokenKey('t0123456789abcdef').pk],
    'Zalo app': [zaloAppKey('3482178216594085616').pk, zaloAppKey('ZPEND').pk],
    'pending Zalo request': [pendingPk('3482178216594085616'), pendingPk('ZAPP')],
    'pending Zalo requests per source network': [pendingSourceKey('3482178216594085616', '203.0.113.0/24').pk, pendingSourceKey('ZPEND', 'unknown').pk],
    'domain-verification code': [siteCodeKey('abc').pk],
    'tenant eSMS account': [esmsAccountKey('acme').pk, esmsAccountKey('TENANTS').pk],
    'tenant credential index': [tenantCredentialsPk('acme'), credentialIndexKey('default', 'api-key', 'k0123456789abcdef').pk],
  },
  Counters: {
    'report counter': [counterKeys({ tenant: 'acme', scope: 'esms', day: DAY, dims: { route: 'sms' } }).pk, dayBucketPk('default', DAY, COUNTER_BUCKETS - 1), counterKeys({ tenant: 'acme', scope: 'usage', day: DAY, dims: {} }).pk],
    'aggregator dead letter': [deadLetterPk(DAY)],
    'stream shard watermark': [shardWatermarkKey('shardId-00000001700000000000-abcdef01').pk, shardWatermarkKey('T#x').pk],
  },
  [`Messages/${DAY_INDEX.name}`]: {
    'eSMS head by tenant and day': [String(dayIndexValues('acme', 'S1', AT)[DAY_INDEX.hash]), dayIndexPk('default', DAY, 0)],
  },
  [`Messages/${REQUEST_INDEX.name}`]: {
    'eSMS head by tenant and RequestId': [requestIndexPk('acme', 'order-1', 0), requestIndexPk('default', 'D#x', 7)],
  },
  [`Messages/${ZALO_MSG_INDEX.name}`]: {
    'raw Zalo msg_id': ['8a7b6c5d4e3f', 'T#acme#M#S1'],
  },
};

/** Every glob of every manifest with the key space it applies to. */
const globs = [...new Set(Object.values(manifests).flatMap((m) => [
  ...manifestModule.tableGrants(m).flatMap(([table, grant]) => (grant.leadingKeys ?? []).map((glob) => `${table} ${glob}`)),
  ...Object.entries(m.indexes ?? {}).flatMap(([table, indexes]) =>
    Object.entries(indexes).flatMap(([index, scope]) => (scope.leadingKeys ?? []).map((glob) => `${table}/${index} ${glob}`))),
]))].sort().map((entry) => entry.split(' ') as [string, string]);

describe('key globs versus the keys lib/table builds', () => {
  it('every key space a manifest scopes has keys here, and the samples are what the builders produce', () => {
    for (const [space] of globs) expect(Object.keys(KEY_SPACES), space).toContain(space);
    expect(messagePk('acme', 'S1')).toBe('T#acme#M#S1');
  });

  it.each(globs)('%s: %s admits every key of exactly one kind and no key of any other kind', (space, glob) => {
    const kinds = Object.entries(KEY_SPACES[space]!);
    const full = kinds.filter(([, keys]) => keys.every((key) => globMatches(glob, key))).map(([kind]) => kind);
    const touched = kinds.filter(([, keys]) => keys.some((key) => globMatches(glob, key))).map(([kind]) => kind);
    expect(full, `kinds fully admitted by ${glob}`).toHaveLength(1);
    expect(touched, `kinds with a key admitted by ${glob}`).toEqual(full);
  });

  it('the eSMS callback functions admit their message, batch shard and rejected items (messagePk(\'acme\',\'S1\'), callbackPk, rejectedDayPk) and nothing else of the table (the phone index is the projector\'s)', () => {
    const allowed = (key: string) => manifestModule.tableGrants(manifests.esmsSms!).some(([table, grant]) => table === 'Messages' && (grant.leadingKeys ?? []).some((glob) => globMatches(glob, key)));
    expect(allowed(messagePk('acme', 'S1'))).toBe(true);
    expect(allowed(callbackPk('acme', 'S1', 4, 3))).toBe(true);
    expect(allowed(rejectedDayPk('acme', DAY))).toBe(true);
    const own = ['eSMS message (head and callbacks)', 'eSMS batch shard (callbacks of a large batch)', 'rejected request'];
    for (const [kind, keys] of Object.entries(KEY_SPACES.Messages!)) {
      if (own.includes(kind)) continue;
      expect(keys.filter(allowed), kind).toEqual([]);
    }
    expect(allowed(dayIndexPk('acme', DAY, 1))).toBe(false);
    expect(allowed(counterKeys({ tenant: 'acme', scope: 'esms', day: DAY, dims: {} }).pk)).toBe(false);
  });
});
