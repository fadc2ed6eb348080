import * as v from 'valibot';
import {
  AudioAttachment,
  FileAttachment,
  ImageAttachment,
  LinkAttachment,
  LocationAttachment,
  StickerAttachment,
  VideoAttachment,
} from './attachments';
import { base, group, Id, OaParty, Party, present, opt } from './common';
import { inferredMessage } from './inferred';

const attachments = <const A extends v.GenericSchema>(attachment: A) => ({ attachments: v.array(attachment) });

const userMessage = <const N extends string, const M extends v.ObjectEntries>(event_name: N, message: M) =>
  v.object({
    event_name: v.literal(event_name),
    ...base,
    sender: Party,
    recipient: Party,
    user_id_by_app: opt(Id),
    message: v.looseObject({ msg_id: Id, text: opt(v.string()), quote_msg_id: opt(Id), ...message }),
  });

const oaMessage = <const N extends string, const M extends v.ObjectEntries>(event_name: N, message: M) =>
  v.object({
    event_name: v.literal(event_name),
    ...base,
    sender: OaParty,
    recipient: Party,
    user_id_by_app: opt(Id),
    message: v.looseObject({ msg_id: Id, text: opt(v.string()), ...message }),
  });

/** User → OA: the OA is the recipient. Dedup on event_name + msg_id (docs/protocols.md §5.7). */
export const userMessages = group(
  [
    userMessage('user_send_text', { text: v.string() }),
    userMessage('user_send_image', attachments(ImageAttachment)),
    userMessage('user_send_link', attachments(LinkAttachment)),
    userMessage('user_send_audio', attachments(AudioAttachment)),
    userMessage('user_send_video', attachments(VideoAttachment)),
    userMessage('user_send_sticker', attachments(StickerAttachment)),
    userMessage('user_send_location', attachments(LocationAttachment)),
    userMessage('user_send_file', attachments(FileAttachment)),
    inferredMessage('user_send_business_card'),
    inferredMessage('user_send_gif'),
  ],
  (event) => ({
    family: 'user_message',
    oaId: event.recipient?.id,
    userId: event.sender?.id,
    msgIds: present(event.message?.msg_id),
    key: [event.event_name, event.message?.msg_id],
  }),
);

/** OA → user echoes (also of messages sent through the API): the OA is the sender. */
export const oaMessages = group(
  [
    oaMessage('oa_send_text', { text: v.string() }),
    oaMessage('oa_send_image', attachments(ImageAttachment)),
    oaMessage('oa_send_file', attachments(FileAttachment)),
    oaMessage('oa_send_sticker', attachments(StickerAttachment)),
    inferredMessage('oa_send_gif'),
    inferredMessage('oa_send_list'),
    inferredMessage('oa_send_template'),
  ],
  (event) => ({
    family: 'oa_message',
    oaId: event.sender?.id,
    userId: event.recipient?.id,
    msgIds: present(event.message?.msg_id),
    key: [event.event_name, event.message?.msg_id],
  }),
);
