/**
 * The console's function: its page and assets, nothing else (no SDK, no table). The built assets are
 * `.console/assets.json` (console/build.js), imported here only, so esbuild inlines them into the
 * console's bundle and no other function carries a byte of them.
 */
import { serveConsole, type ConsoleAssets } from '../api/console';

let assets: Promise<ConsoleAssets | undefined> | undefined;
const loadAssets = (): Promise<ConsoleAssets | undefined> =>
  (assets ??= import('../../.console/assets.json').then((module) => module.default as ConsoleAssets, () => {
    assets = undefined; // not built yet (locally): try again on the next request
    return undefined;
  }));

export const consoleHandler = serveConsole(loadAssets);
