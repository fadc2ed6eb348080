import * as v from 'valibot';
import { group, present, soft } from './common';
import { inferredMessage } from './inferred';

const anonymous = <const N extends string>(event_name: N) =>
  inferredMessage(event_name, { conversation_id: soft(v.string()) });

/** Anonymous chat (inferred shapes): user→OA when the name starts with `anonymous_send_`, else OA→user. */
export const anonymousMessages = group(
  [
    anonymous('anonymous_send_text'),
    anonymous('anonymous_send_image'),
    anonymous('anonymous_send_file'),
    anonymous('anonymous_send_sticker'),
    anonymous('oa_send_anonymous_text'),
    anonymous('oa_send_anonymous_image'),
    anonymous('oa_send_anonymous_file'),
    anonymous('oa_send_anonymous_sticker'),
  ],
  (event) => {
    const fromUser = event.event_name.startsWith('anonymous_send_');
    const [oa, user] = fromUser ? [event.recipient, event.sender] : [event.sender, event.recipient];
    return {
      family: 'anonymous',
      oaId: oa?.id,
      userId: user?.id,
      msgIds: present(event.message?.msg_id),
      key: [event.event_name, event.message?.msg_id],
    };
  },
);
