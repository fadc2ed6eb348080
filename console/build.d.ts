import type { ConsoleAssets } from '../lib/api/console';

export declare const OUT_FILE: string;
export declare function buildConsole(options?: { outFile?: string; minify?: boolean }): Promise<ConsoleAssets>;
