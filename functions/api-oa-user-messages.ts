import { oaConversationHandler } from '../lib/wiring/zalo';

/** GET /api/oa/{oaId}/users/{userId}/messages */
export const handler = oaConversationHandler;
