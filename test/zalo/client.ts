/** Sending signed Zalo webhooks (test/zalo/sign.ts) to the local stack. */
import type { LocalStack } from '../../infra/local/stack';
import { postJson, type Answer } from '../support/stack';
import type { SignedRequest } from './sign';

export { fresh, retimed, signed, signedEnvelope, unsignedHeaders, type SignedRequest } from './sign';

export const postZalo = (stack: LocalStack, request: SignedRequest): Promise<Answer> =>
  postJson(`${stack.url}/zalo/webhook`, request.rawBody, request.headers);

export { scanAll } from '../support/scan-all';
