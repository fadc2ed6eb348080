import { sitePageHandler } from '../lib/wiring/site-verification';

/** GET / (Zalo domain verification meta tags) */
export const handler = sitePageHandler;
