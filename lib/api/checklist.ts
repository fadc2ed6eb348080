/**
 * GET /api/onboarding?app=<appId>[,…]: the facts of a tenant's set-up that no other read route shows, for
 * the console's onboarding checklist. Evidence that traffic arrives (signed Zalo events, eSMS callbacks)
 * is already in the daily report, and the served verification page is `GET /` itself: the console reads
 * those there. Secrets never leave: the answer says whether a key is set, not what it is.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors';
import { vietnamIso } from '../time';
import type { Caller } from './read-api';

export interface OnboardingApp {
  appId: string;
  secretSet: boolean;
  /** Webhook requests kept while the key was missing (registry apps only). */
  pendingKept?: number;
}

export interface ConnectedOa {
  oaId: string;
  appId: string;
  connectedAt: number;
  accessExpiresAt: number;
}

export interface OnboardingFacts {
  /** The tenant's domain-verification codes (public meta tags on GET /). */
  siteVerificationCodes: (tenant: string) => Promise<string[]>;
  /** The tenant's Zalo apps among the settings' and `appIds` (the registry looks apps up by id only). */
  zaloApps: (tenant: string, appIds: readonly string[]) => Promise<OnboardingApp[]>;
  /** How many eSMS callback tokens the tenant has; null when the store cannot count them. */
  esmsTokenCount: (tenant: string) => Promise<number | null>;
  /** The tenant's OAs that granted permission (their stored OAuth tokens, which stay sealed). */
  connectedOas: (tenant: string) => Promise<ConnectedOa[]>;
}

const MAX_APPS = 10;
const APP_ID = /^[0-9]{1,32}$/;

const appIdsOf = (event: APIGatewayProxyEventV2): string[] => {
  const ids = (event.queryStringParameters?.app ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length > MAX_APPS || !ids.every((id) => APP_ID.test(id))) throw new RequestError(400, 'app', `app must be up to ${MAX_APPS} comma-separated Zalo app ids (digits)`);
  return ids;
};

export const onboardingFacts = (facts: OnboardingFacts, now: () => number) => async (event: APIGatewayProxyEventV2, caller: Caller) => {
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
