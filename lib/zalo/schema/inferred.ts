import * as v from 'valibot';
import { AnyAttachment } from './attachments';
import { base, Id, soft } from './common';

const SoftParty = soft(v.looseObject({ id: Id }));

/**
 * A message-like event whose payload is only inferred: beyond event_name/app_id/timestamp every field
 * is optional and dropped when it does not match, so the real shape can differ without losing events.
 */
export const inferredMessage = <const N extends string, const M extends v.ObjectEntries = {}>(
  event_name: N,
  message?: M,
) =>
  v.looseObject({
    event_name: v.literal(event_name),
    ...base,
    sender: SoftParty,
    recipient: SoftParty,
    user_id_by_app: soft(Id),
    message: soft(
      v.looseObject({
        msg_id: soft(Id),
        text: soft(v.string()),
        attachments: soft(v.array(AnyAttachment)),
        ...(message ?? ({} as M)),
      }),
    ),
  });

/** A non-message event whose payload is only inferred; pass every field through `soft`. */
export const inferredEvent = <const N extends string, const F extends v.ObjectEntries>(event_name: N, fields: F) =>
  v.looseObject({ event_name: v.literal(event_name), ...base, ...fields });
