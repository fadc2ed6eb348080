import { sitePageHandler } from '../lib/wiring/zalo';

/** GET / (Zalo domain verification meta tags) */
export const handler = sitePageHandler;
