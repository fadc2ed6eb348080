/** Vietnamese by default, English on the switch (kept in localStorage: it is not a secret). */
export type Lang = 'vi' | 'en';

const EN = {
  title: 'Webhook console', signIn: 'Sign in', keyLabel: 'API key (tenant or admin)', keyHint: 'Kept in this tab only (sessionStorage), sent as a Bearer header.',
  badKey: 'This key is not accepted.', signOut: 'Sign out', tenant: 'Tenant', language: 'Tiếng Việt',
  messages: 'Messages', reports: 'Reports', zalo: 'Zalo', rejected: 'Rejected', onboarding: 'Onboarding', destinations: 'Destinations',
  search: 'Search', phone: 'Phone', smsId: 'SMSID', requestId: 'RequestId', day: 'Day', channel: 'Channel', status: 'Status', oa: 'OA', template: 'Template', outcome: 'Outcome',
  noResults: 'No messages found.', more: 'More', loading: 'Loading…', firstSeen: 'First seen', lastSeen: 'Last seen', price: 'Price', telco: 'Telco',
  recipients: 'Recipients', timeline: 'Timeline', received: 'Received', source: 'Source', error: 'Error', raw: 'Raw request', zaloEvent: 'Zalo event',
  totals: 'Totals', requests: 'Requests', receivers: 'Receivers', sent: 'Sent', success: 'Success', failed: 'Failed', group: 'Group', total: 'Total',
  from: 'From', to: 'To', groupBy: 'Group by', show: 'Show', csv: 'Download CSV', chart: 'Sent, success and failed per day',
  oaId: 'OA id', connection: 'Connection', connected: 'Connected', notConnected: 'Not connected', validUntil: 'Access valid until', followers: 'Followers',
  followedAt: 'Followed', templates: 'Templates', quota: 'Daily quota', journey: 'Journey', journeyId: 'Journey id', charged: 'Charged', expired: 'Expired', events: 'Events per day',
  follows: 'Follows', unfollows: 'Unfollows', lastEvent: 'Last event day',
  reason: 'Reason', select: 'Select', replaySelected: 'Replay selected', replayDay: 'Replay the whole day', result: 'Result', none: 'Nothing for this day.',
  next: 'Next step', evidence: 'Evidence', done: 'Done', todo: 'To do', refresh: 'Refresh',
  stepDomain: 'Domain verification code served', stepWebhook: 'Webhook receiving signed events', stepSecret: 'OA Secret Key set',
  stepPermission: 'OA permission granted', stepToken: 'eSMS token issued', stepFirst: 'First eSMS callback seen',
} as const;

type Key = keyof typeof EN;

const VI: Record<Key, string> = {
  title: 'Bảng điều khiển webhook', signIn: 'Đăng nhập', keyLabel: 'Khóa API (đối tác hoặc quản trị)', keyHint: 'Chỉ lưu trong thẻ này (sessionStorage), gửi trong header Bearer.',
  badKey: 'Khóa này không được chấp nhận.', signOut: 'Đăng xuất', tenant: 'Đối tác', language: 'English',
  messages: 'Tin nhắn', reports: 'Báo cáo', zalo: 'Zalo', rejected: 'Bị từ chối', onboarding: 'Kết nối', destinations: 'Điểm nhận sự kiện',
  search: 'Tìm kiếm', phone: 'Số điện thoại', smsId: 'SMSID', requestId: 'RequestId', day: 'Ngày', channel: 'Kênh', status: 'Trạng thái', oa: 'OA', template: 'Mẫu', outcome: 'Kết quả',
  noResults: 'Không tìm thấy tin nhắn.', more: 'Xem thêm', loading: 'Đang tải…', firstSeen: 'Nhận lần đầu', lastSeen: 'Nhận lần cuối', price: 'Giá', telco: 'Nhà mạng',
  recipients: 'Người nhận', timeline: 'Dòng thời gian', received: 'Thời điểm nhận', source: 'Nguồn', error: 'Lỗi', raw: 'Yêu cầu gốc', zaloEvent: 'Sự kiện Zalo',
  totals: 'Tổng', requests: 'Yêu cầu', receivers: 'Người nhận', sent: 'Đã gửi', success: 'Thành công', failed: 'Thất bại', group: 'Nhóm', total: 'Tổng cộng',
  from: 'Từ ngày', to: 'Đến ngày', groupBy: 'Nhóm theo', show: 'Xem', csv: 'Tải CSV', chart: 'Đã gửi, thành công và thất bại theo ngày',
  oaId: 'Mã OA', connection: 'Kết nối', connected: 'Đã kết nối', notConnected: 'Chưa kết nối', validUntil: 'Access token hiệu lực đến', followers: 'Người quan tâm',
  followedAt: 'Quan tâm lúc', templates: 'Mẫu ZNS', quota: 'Hạn mức ngày', journey: 'Journey', journeyId: 'Mã Journey', charged: 'Đã tính phí', expired: 'Hết hạn', events: 'Sự kiện theo ngày',
  follows: 'Quan tâm', unfollows: 'Bỏ quan tâm', lastEvent: 'Ngày có sự kiện gần nhất',
  reason: 'Lý do', select: 'Chọn', replaySelected: 'Chạy lại mục đã chọn', replayDay: 'Chạy lại cả ngày', result: 'Kết quả', none: 'Không có gì trong ngày này.',
  next: 'Bước tiếp theo', evidence: 'Bằng chứng', done: 'Xong', todo: 'Chưa xong', refresh: 'Làm mới',
  stepDomain: 'Mã xác thực tên miền đã được phục vụ', stepWebhook: 'Webhook nhận sự kiện có chữ ký', stepSecret: 'Đã đặt OA Secret Key',
  stepPermission: 'OA đã cấp quyền', stepToken: 'Đã cấp token eSMS', stepFirst: 'Đã nhận callback eSMS đầu tiên',
};

const LANG = 'console.lang';
export let lang: Lang = (globalThis.localStorage?.getItem(LANG) as Lang | null) ?? 'vi';
export const setLang = (next: Lang): void => {
  lang = next;
  localStorage.setItem(LANG, next);
  document.documentElement.lang = next;
};

export const t = (key: Key): string => (lang === 'vi' ? VI[key] : EN[key]);
/** A bilingual literal for text that only one page uses. */
export const tr = (vi: string, en: string): string => (lang === 'vi' ? vi : en);
