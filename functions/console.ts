import { consoleHandler } from '../lib/wiring/console';

/** GET /console (the web console's page, and its files as ?asset=) */
export const handler = consoleHandler;
