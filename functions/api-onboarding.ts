import { onboardingHandler } from '../lib/wiring/checklist';

/** GET /api/onboarding (the facts of the console's onboarding checklist) */
export const handler = onboardingHandler;
