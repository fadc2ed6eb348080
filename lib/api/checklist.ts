/**
 * GET /api/onboarding?app=<appId>[,…]: the facts of a tenant's set-up that no other read route shows, for
 * the console's onboarding checklist. Evidence that traffic arrives (signed Zalo events, eSMS callbacks)
 * is already in the daily report, and the served verification page is `GET /` itself: the console reads
 * those there. Secrets never leave: the answer says whether a key is set, not what it is.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import type { OnboardingFacts } from '../tenants/onboarding-facts';
import { vietnamIso } from '../time';
import type { AnswerBody } from './answers';
import type { Caller } from './read-api';

const MAX_APPS = 10;
const APP_ID = /^[0-9]{1,32}$/;

const appIdsOf = (event: APIGatewayProxyEventV2): string[] => {
  const ids = (event.queryStringParameters?.app ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length > MAX_APPS || !ids.every((id) => APP_ID.test(id))) throw new RequestError(400, 'app', `app must be up to ${MAX_APPS} comma-separated Zalo app ids (digits)`);
  return ids;
};

export const onboardingFacts = (facts: OnboardingFacts, now: () => number) => async (event: APIGatewayProxyEventV2, caller: Caller): Promise<AnswerBody<'Onboarding'>> => {
  const asked = appIdsOf(event);
  const [codes, tokens, connected] = await Promise.all([
    facts.siteVerificationCodes(caller.tenant), facts.esmsTokenCount(caller.tenant), facts.connectedOas(caller.tenant),
  ]);
  // The apps the tenant's OAs were connected through are its apps too.
  const apps = await facts.zaloApps(caller.tenant, [...new Set([...asked, ...connected.map((oa) => oa.appId)])]);
  return {
    onboarding: {
      tenant: caller.tenant,
      siteVerification: { codes },
      zaloApps: apps,
      oas: connected.map((record) => ({
        oaId: record.oaId,
        appId: record.appId,
        connectedAt: vietnamIso(record.connectedAt),
        accessExpiresAt: vietnamIso(record.accessExpiresAt),
        accessValid: record.accessExpiresAt > now(),
      })),
      esmsTokens: { issued: tokens },
    },
  };
};
