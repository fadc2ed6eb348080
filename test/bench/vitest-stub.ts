/**
 * The bench runs outside vitest, but some test/support modules it uses for their plain helpers import
 * vitest for their test-only ones (esms-items.ts → `callbackQuery`, and through it callback-load.ts's
 * workloads; stack.ts), and `require('vitest')` throws outside a vitest run. Imported before anything
 * from test/support, this answers `vitest` with stand-ins that refuse to run, so only the helpers the
 * bench actually calls work. Remove it once those helpers live in vitest-free modules.
 */
import Module from 'node:module';

const refuse = (name: string) => () => {
  throw new Error(`vitest's ${name}() is not available in the bench`);
};
const STAND_IN = Object.fromEntries(['inject', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach', 'describe', 'it', 'test', 'expect'].map((name) => [name, refuse(name)]));

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;
loader._load = function loadWithoutVitest(this: unknown, request, parent, isMain) {
  return request === 'vitest' ? STAND_IN : load.call(this, request, parent, isMain);
};
