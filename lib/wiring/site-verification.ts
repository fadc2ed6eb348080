/** The domain-verification page: settings only (no DynamoDB client, no secrets), rendered once per instance. */
import { settings } from '../config/settings';
import { html } from '../http/response';
import { sitePage } from '../zalo/pages';

const home = html(200, sitePage(settings().zaloSiteVerification));

export const sitePageHandler = async () => home;
