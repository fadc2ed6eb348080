/** GET /api/onboarding: the facts of the console's onboarding checklist (lib/api/checklist.ts). */
import { onboardingFacts } from '../api/checklist';
import { buildReadApi } from '../api/read-api';
import { buildTokenStore } from '../store/oauth-tokens';
import { buildOnboardingFacts } from '../tenants/onboarding-facts';
import { withSecrets } from './lambda';
import { lazy } from './lazy';
import { readKeyOwner, registryStore } from './registry';
import { config, doc } from './shared';

// The read API's key check, with this route's settings secrets read in the same one SSM request.
const keyed = buildReadApi(readKeyOwner);

export const onboardingHandler = lazy(() => withSecrets(['api-keys', 'admin-api-keys', 'zalo-apps', 'esms-callback-tokens'], keyed(onboardingFacts(
  buildOnboardingFacts({ env: () => config, registry: registryStore, tokens: buildTokenStore(doc, config.messagesTable) }),
  Date.now,
))));
