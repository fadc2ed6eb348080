/**
 * The onboarding routes as HTTP: a redirect to Zalo's consent page, and the callback's result page.
 * These pages are read by a person in a browser, so errors are short HTML pages; as everywhere, only
 * caller errors show their message.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { headerValue } from '../http/headers';
import { describeError, html } from '../http/response';
import { METRICS } from '../observability/metric-names';
import { completeConnection, connectUrl, type ConnectDeps, type ConnectUrlDeps } from '../zalo/connect';
import { ZaloOAuthError } from '../zalo/oauth';
import { resultPage } from '../zalo/pages';

export const CALLBACK_PATH = '/zalo/oa-callback';

/** Where Zalo must send the admin back: the configured URL, else this API's own domain. */
const callbackUrlOf = (event: APIGatewayProxyEventV2, configured: string | undefined): string =>
  configured ?? `${headerValue(event.headers ?? {}, 'x-forwarded-proto') ?? 'http'}://${event.requestContext.domainName}${CALLBACK_PATH}`;

const errorPage = (deps: Pick<ConnectDeps, 'log' | 'telemetry'>, error: unknown): APIGatewayProxyStructuredResultV2 => {
  deps.telemetry.count(METRICS.zaloOaConnectFailed);
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  // The status comes from the one mapping (lib/http/response.ts); only the page's words are this flow's.
  const { status, message, field } = describeError(error);
  if (status < 500) {
    deps.log.warn('zalo oa connection refused', { status, field, reason });
    return html(status, resultPage(false, message));
  }
  if (error instanceof ZaloOAuthError) {
    deps.log.warn('zalo oauth refused', { code: error.code, reason });
    return html(status, resultPage(false, `Zalo refused the authorization (error ${error.code}). Start again from the connection link.`));
  }
  deps.log.error('zalo oa connection failed', { reason });
  return html(status, resultPage(false, status === 503 ? 'Storage is unavailable; try again in a minute.' : 'Internal error.'));
};

/** GET /zalo/oa-connect?app_id=…: 302 to Zalo's OA consent page. */
export const oaConnect = (deps: ConnectUrlDeps & Pick<ConnectDeps, 'log' | 'telemetry'>, callbackUrl: string | undefined) =>
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const location = connectUrl(deps, { appId: event.queryStringParameters?.app_id, redirectUri: callbackUrlOf(event, callbackUrl) });
      return { statusCode: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
    } catch (error) {
      return errorPage(deps, error);
    }
  };

/** GET /zalo/oa-callback?oa_id&code&state: the "Official Account Callback Url" registered with Zalo. */
export const oaCallback = (deps: ConnectDeps) => async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const query = event.queryStringParameters ?? {};
  try {
    const connected = await completeConnection(deps, { oaId: query.oa_id, code: query.code, state: query.state });
    const until = new Date(connected.accessExpiresAt).toISOString();
    return html(200, resultPage(true, `Official Account ${connected.oaId} is connected (access valid until ${until}, renewed automatically).`));
  } catch (error) {
    return errorPage(deps, error);
  }
};
