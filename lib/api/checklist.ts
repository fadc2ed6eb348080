/**
 * GET /api/onboarding: the facts of a tenant's set-up that no other read route shows, for the console's
 * onboarding checklist. Evidence that traffic arrives (signed Zalo events, eSMS callbacks) is already in
 * the daily report, and the served verification page is `GET /` itself: the console reads those there.
 * Secrets never leave: the answer says whether a key is set and how many tokens exist, not what they are.
 */
import { vietnamIso } from '../time';
import type { Caller } from './read-api';

export interface OnboardingFacts {
  /** Domain-verification codes served on GET / (public meta tags). */
  siteVerificationCodes: () => string[];
  /** The tenant's Zalo apps and whether each has its OA Secret Key. */
  zaloApps: (tenant: string) => Promise<Array<{ appId: string; secretSet: boolean }>>;
  /** How many eSMS callback tokens the tenant has. */
  esmsTokenCount: (tenant: string) => Promise<number>;
  /** The tenant's OAs that granted permission (their stored OAuth tokens, which stay sealed). */
  connectedOas: (tenant: string) => Promise<ConnectedOa[]>;
}

export interface ConnectedOa {
  oaId: string;
  appId: string;
  connectedAt: number;
  accessExpiresAt: number;
}

export const onboardingFacts = (facts: OnboardingFacts, now: () => number) => async (_event: unknown, caller: Caller) => {
  const [apps, tokens, connected] = await Promise.all([facts.zaloApps(caller.tenant), facts.esmsTokenCount(caller.tenant), facts.connectedOas(caller.tenant)]);
  return {
    onboarding: {
      tenant: caller.tenant,
      siteVerification: { codes: facts.siteVerificationCodes() },
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
