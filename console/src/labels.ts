/**
 * The API's codes in the UI's language: eSMS statuses, channels (TypeId names), telcos, outcomes, Zalo event
 * families and template states. The codes stay what the API and the CSV answer; only what is shown changes.
 * test/console/labels.test.ts keeps these tables equal to the server's lists (lib/esms/channels.ts,
 * lib/esms/outcome.ts, lib/zalo/schema/common.ts), so a new code cannot show raw by oversight. Plain
 * tables (no DOM, no language state), so the fast tests read them; console/src/label.ts picks the language.
 */
type Names = Record<string, readonly [vi: string, en: string]>;

export const STATUS_LABELS: Names = {
  pending_approval: ['Chờ duyệt', 'Pending approval'],
  waiting: ['Đang chờ gửi', 'Waiting'],
  rejected: ['Bị từ chối', 'Rejected'],
  sent: ['Đã gửi', 'Sent'],
  sent_to_telco: ['Đã chuyển nhà mạng', 'Sent to the carrier'],
  expired: ['Quá hạn báo cáo', 'Expired'],
};

/** SendStatus codes, for the status filter and `by=status` groups (which are the numbers). */
export const STATUS_CODES: Record<string, string> = { 1: 'pending_approval', 2: 'waiting', 4: 'rejected', 5: 'sent', 7: 'sent_to_telco', expired: 'expired' };

export const CHANNEL_LABELS: Names = {
  sms_promo: ['SMS quảng cáo', 'Promotional SMS'],
  sms_cskh: ['SMS chăm sóc khách hàng', 'Customer-care SMS'],
  sms_fixed_number: ['SMS đầu số cố định', 'Fixed-number SMS'],
  viber: ['Viber', 'Viber'],
  zns_otp: ['ZNS OTP', 'ZNS OTP'],
  zns_cskh: ['ZNS chăm sóc khách hàng', 'ZNS customer care'],
  zalo_uid: ['Zalo tư vấn / giao dịch', 'Zalo consulting / transaction'],
  zns_journey: ['ZNS Journey', 'ZNS Journey'],
};

/** TypeIds, for the channel filter and `by=channel` groups. */
export const CHANNEL_CODES: Record<string, string> = { 1: 'sms_promo', 2: 'sms_cskh', 8: 'sms_fixed_number', 23: 'viber', 24: 'zns_otp', 25: 'zns_cskh', 26: 'zalo_uid', 27: 'zns_journey' };

export const TELCO_LABELS: Names = {
  viettel: ['Viettel', 'Viettel'],
  mobifone: ['MobiFone', 'MobiFone'],
  vinaphone: ['VinaPhone', 'VinaPhone'],
  vietnamobile: ['Vietnamobile', 'Vietnamobile'],
  gtel: ['Gtel (Gmobile)', 'Gtel (Gmobile)'],
  itel: ['iTel', 'iTel'],
  reddi: ['Reddi', 'Reddi'],
  unknown: ['Không rõ', 'Unknown'],
};

export const FAMILY_LABELS: Names = {
  user_message: ['Người dùng nhắn tin', 'User messages'],
  oa_message: ['OA nhắn tin', 'OA messages'],
  zns_delivery: ['ZNS đã tới máy', 'ZNS delivered'],
  oa_receipt: ['Đã nhận / đã xem', 'Received / seen'],
  reaction: ['Thả cảm xúc', 'Reactions'],
  follow: ['Quan tâm', 'Follows'],
  unfollow: ['Bỏ quan tâm', 'Unfollows'],
  interaction: ['Tương tác (nút, đánh giá)', 'Interactions (buttons, ratings)'],
  tag: ['Gắn nhãn', 'Tags'],
  template: ['Mẫu ZNS thay đổi', 'Template changes'],
  quota: ['Hạn mức thay đổi', 'Quota changes'],
  journey_charged: ['Journey tính phí', 'Journey charged'],
  journey_expired: ['Journey hết hạn', 'Journey expired'],
  consent_request: ['Xin phép gọi', 'Call consent asked'],
  consent_reply: ['Trả lời xin phép gọi', 'Call consent answered'],
  call: ['Cuộc gọi', 'Calls'],
  anonymous: ['Người dùng ẩn danh', 'Anonymous users'],
  permission_revoked: ['Thu hồi quyền OA', 'OA permission revoked'],
};

export const TEMPLATE_STATUS_LABELS: Names = {
  ENABLE: ['Đang hoạt động', 'Enabled'],
  PENDING_REVIEW: ['Chờ duyệt', 'Pending review'],
  REJECT: ['Bị từ chối', 'Rejected'],
  DISABLE: ['Đã tắt', 'Disabled'],
  DELETE: ['Đã xóa', 'Deleted'],
};

export const QUALITY_LABELS: Names = {
  HIGH: ['Cao', 'High'],
  MEDIUM: ['Trung bình', 'Medium'],
  LOW: ['Thấp', 'Low'],
  UNDEFINED: ['Chưa xác định', 'Not rated yet'],
};

export const OUTCOME_NAMES: Names = {
  delivered: ['Đã nhận', 'Delivered'],
  partial: ['Nhận một phần', 'Partly delivered'],
  accepted: ['Zalo đã nhận, chưa tới máy', 'Accepted by Zalo, not delivered'],
  failed: ['Thất bại', 'Failed'],
  pending: ['Đang chờ', 'Pending'],
  expired: ['Quá hạn báo cáo', 'Expired'],
  unknown: ['Chưa rõ', 'Unknown'],
};

/** What a replay did with a kept request (lib/replay, lib/api/replay.ts). */
export const REPLAY_LABELS: Names = {
  stored: ['Đã lưu', 'Stored'],
  duplicate: ['Đã có (trùng)', 'Already stored (duplicate)'],
  skipped: ['Bỏ qua (đã chạy lại)', 'Skipped (already replayed)'],
  rejected: ['Vẫn bị từ chối', 'Still rejected'],
};

/** Why a request was kept: `unparsed` (a signed Zalo event no parser reads); other reasons are the parser's own words. */
export const REASON_LABELS: Names = {
  unparsed: ['Không đọc được (đã lưu nguyên bản)', 'Unparsed (kept raw)'],
};
