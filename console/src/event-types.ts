/**
 * The event types a destination can take (the contract's "Event destinations"; lib/destinations/events.ts
 * is the server's list, and test/console/event-types.test.ts keeps the two equal), each with what it means.
 * The type names stay as they are in both languages: they are what the partner's code matches on.
 */
export const EVENT_TYPES: ReadonlyArray<{ type: string; vi: string; en: string }> = [
  { type: 'esms.message.updated', vi: 'trạng thái tin nhắn eSMS thay đổi', en: 'an eSMS message’s state changed' },
  { type: 'esms.recipient.updated', vi: 'trạng thái của một người nhận trong lô thay đổi', en: 'a batch recipient’s status changed' },
  { type: 'zalo.message.status', vi: 'tin ZNS/OA đã gửi, đã nhận, đã xem hoặc thất bại', en: 'a ZNS/OA message sent, received, seen or failed' },
  { type: 'zalo.follower.changed', vi: 'người dùng quan tâm hoặc bỏ quan tâm OA', en: 'a user followed or unfollowed the OA' },
  { type: 'zalo.consent.changed', vi: 'đồng ý nhận cuộc gọi thay đổi', en: 'a call consent changed' },
  { type: 'zalo.template.changed', vi: 'mẫu ZNS thay đổi trạng thái hoặc chất lượng', en: 'a ZNS template’s status or quality changed' },
  { type: 'zalo.quota.changed', vi: 'hạn mức gửi thay đổi', en: 'a sending quota changed' },
  { type: 'zalo.user_message', vi: 'người dùng nhắn tin cho OA', en: 'a user wrote to the OA' },
  { type: 'zalo.oa.disconnected', vi: 'OA ngắt kết nối', en: 'the OA was disconnected' },
  { type: 'alert.callbacks_lost', vi: 'đối soát phát hiện callback bị mất', en: 'reconciliation found lost callbacks' },
  { type: 'alert.unparsed_events', vi: 'có sự kiện không đọc được', en: 'events could not be parsed' },
  { type: 'alert.destination_disabled', vi: 'một điểm nhận bị tự động tắt', en: 'a destination was disabled' },
];
