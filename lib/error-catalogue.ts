/**
 * One catalogue of the provider codes a message can carry, in Vietnamese and English (docs/protocols.md §4):
 * Zalo's ZNS codes (0 and the negative codes in eSMS `error_info.error` and Zalo's send answers), the OA-API
 * codes messages sent by user id carry, eSMS's own code in `error_info` (1001) and eSMS's API result codes
 * (`CodeResult`, 99…854). The read API, the CSV export and the console all describe a code from here.
 */

/** Where a code comes from: Zalo's ZNS table, Zalo's OA API, or eSMS (its `error_info` code and its API results). */
export type CodeFamily = 'zns' | 'oa-api' | 'esms';

export interface CodeDescription {
  vi: string;
  en: string;
  family: CodeFamily;
}

type Row = readonly [vi: string, en: string];

/** Zalo ZNS (ZBS) codes: docs/protocols.md §4.1. */
const ZNS: Record<number, Row> = {
  0: ['Thành công', 'Success'],
  [-100]: ['Lỗi không xác định (thử lại sau)', 'Unknown error (retry later)'],
  [-101]: ['Ứng dụng không hợp lệ', 'Application invalid'],
  [-102]: ['Ứng dụng không tồn tại', 'Application does not exist'],
  [-103]: ['Ứng dụng chưa được kích hoạt', 'Application not activated'],
  [-104]: ['App secret key không hợp lệ', 'App secret key invalid'],
  [-105]: ['Ứng dụng chưa liên kết với OA nào', 'Application not linked to any OA'],
  [-106]: ['Phương thức không được hỗ trợ', 'Method unsupported'],
  [-107]: ['Message ID không hợp lệ', 'Message ID invalid'],
  [-108]: ['Số điện thoại không hợp lệ', 'Phone number invalid'],
  [-109]: ['Template ID không hợp lệ', 'Template ID invalid'],
  [-110]: ['Phiên bản Zalo không hỗ trợ (người dùng cần cập nhật)', 'Zalo version unsupported (the user must update)'],
  [-111]: ['Dữ liệu mẫu trống', 'Template data empty'],
  [-112]: ['Dữ liệu mẫu không hợp lệ hoặc kiểu chưa được định nghĩa', 'Template data invalid or of an undefined type'],
  [-1121]: ['Tham số vượt quá độ dài tối đa', 'A parameter exceeds its maximum length'],
  [-1122]: ['Thiếu tham số', 'A parameter is missing'],
  [-1123]: ['Không tạo được mã QR', 'The QR code cannot be generated'],
  [-1124]: ['Định dạng tham số không hợp lệ', 'A parameter\'s format is invalid'],
  [-113]: ['Nút bấm không hợp lệ', 'Button invalid'],
  [-1131]: ['Nội dung hoặc liên kết của nút bấm không hợp lệ', 'Button content or link invalid'],
  [-114]: ['Người dùng không hoạt động, từ chối tin, dùng Zalo cũ hoặc lỗi nội bộ', 'User inactive, rejected the message, outdated Zalo, or an internal error'],
  [-115]: ['Hết hạn mức ZNS (số dư)', 'Out of ZNS quota (balance)'],
  [-116]: ['Nội dung hoặc tham số không hợp lệ', 'Text or parameter content invalid'],
  [-117]: ['Không có quyền dùng mẫu này (App/OA/mẫu không khớp)', 'No permission to use this template (app/OA/template mismatch)'],
  [-118]: ['Tài khoản Zalo không tồn tại hoặc đã bị vô hiệu hóa', 'Zalo account does not exist or is deactivated'],
  [-119]: ['Tài khoản không thể nhận tin', 'Account cannot receive messages'],
  [-120]: ['OA chưa có quyền dùng tính năng này', 'OA lacks permission for this feature'],
  [-1201]: ['OA không thể tạo mẫu có tag 3', 'OA cannot create tag-3 templates'],
  [-1202]: ['OA không có quyền dùng media', 'OA has no media permission'],
  [-121]: ['Nội dung yêu cầu trống', 'Request body empty'],
  [-122]: ['Nội dung yêu cầu không phải JSON', 'Request body is not JSON'],
  [-123]: ['Giải mã RSA thất bại', 'RSA decoding failed'],
  [-124]: ['Access token không hợp lệ', 'Access token invalid'],
  [-1241]: ['appsecret_proof không hợp lệ', 'appsecret_proof invalid'],
  [-125]: ['Mã OA không hợp lệ', 'OA id invalid'],
  [-126]: ['Hết hạn mức ở chế độ phát triển', 'Out of quota in development mode'],
  [-127]: ['Mẫu thử chỉ gửi được cho quản trị viên', 'Test template can only be sent to admins'],
  [-128]: ['Lỗi khóa mã hóa (RSA)', 'Encryption (RSA) key error'],
  [-129]: ['Lỗi khóa mã hóa (RSA)', 'Encryption (RSA) key error'],
  [-130]: ['Nội dung vượt quá giới hạn ký tự', 'Content exceeds the character limit'],
  [-131]: ['Mẫu chưa được duyệt', 'Template not approved'],
  [-132]: ['Tham số không hợp lệ', 'Parameter invalid'],
  [-133]: ['Không gửi được vào ban đêm (22:00–06:00)', 'Cannot send at night (22:00–06:00)'],
  [-134]: ['Người dùng chưa phản hồi yêu cầu nhận ZNS (không còn dùng)', 'User has not answered the ZNS opt-in (no longer used)'],
  [-135]: ['OA không được phép gửi ZNS (cần xác thực hoặc gói trả phí)', 'OA not allowed to send ZNS (verification or a paid plan needed)'],
  [-1351]: ['OA bị chặn do vi phạm', 'OA blocked for violations'],
  [-136]: ['Chưa kết nối Zalo Cloud Account (ZCA)', 'Zalo Cloud Account (ZCA) not connected'],
  [-137]: ['Thanh toán ZCA thất bại', 'Zalo Cloud Account charge failed'],
  [-138]: ['Ứng dụng không có quyền', 'Application lacks permission'],
  [-1381]: ['OA chưa cấp quyền Extension ZCA', 'OA has not granted the ZCA extension permission'],
  [-139]: ['Người dùng từ chối loại nội dung này', 'User refused this content type'],
  [-140]: ['Người dùng không đủ điều kiện nhận loại tin này', 'User not eligible for this message type'],
  [-141]: ['Người dùng từ chối ZNS từ OA này', 'User refused ZNS from this OA'],
  [-142]: ['Lỗi khóa mã hóa (RSA)', 'Encryption (RSA) key error'],
  [-143]: ['Lỗi khóa mã hóa (RSA)', 'Encryption (RSA) key error'],
  [-144]: ['OA vượt hạn mức ZNS trong ngày', 'OA exceeded its daily ZNS limit'],
  [-1441]: ['OA vượt hạn mức tin khuyến mãi trong tháng', 'OA exceeded its monthly promotion quota'],
  [-145]: ['OA không được gửi loại nội dung này', 'OA not allowed to send this content type'],
  [-146]: ['Mẫu bị tắt do chất lượng thấp', 'Template disabled for low quality'],
  [-147]: ['Mẫu vượt hạn mức trong ngày', 'Template daily limit exceeded'],
  [-1471]: ['Vượt giới hạn tin chăm sóc mỗi người dùng trong tháng', 'Monthly follow-up limit per user exceeded'],
  [-1472]: ['Vượt giới hạn tin khuyến mãi mỗi người dùng trong ngày', 'Daily promotion limit per user exceeded'],
  [-148]: ['Không tìm thấy Journey token', 'Journey token not found'],
  [-149]: ['Journey token không hợp lệ', 'Journey token invalid'],
  [-1491]: ['Loại Journey token không phù hợp', 'Journey token of an incompatible type'],
  [-150]: ['Journey token đã hết hạn', 'Journey token expired'],
  [-151]: ['Không phải mẫu mã hóa đầu cuối (E2EE)', 'Not an end-to-end encrypted (E2EE) template'],
  [-152]: ['Lỗi khóa mã hóa đầu cuối (E2EE)', 'End-to-end encryption (E2EE) key failure'],
  [-153]: ['Dữ liệu vi phạm quy định', 'Data violates the specification'],
  [-158]: ['Tệp quá lớn', 'File too large'],
  [-159]: ['Loại tệp không được phép', 'File type not allowed'],
  [-160]: ['Vượt hạn mức tạo, sửa, tải lên trong ngày', 'Daily create, edit or upload quota exceeded'],
  [-161]: ['sending_mode không hợp lệ', 'Invalid sending_mode'],
  [-162]: ['Chế độ gửi 3 không dùng cho mẫu tag 1 hoặc 2', 'Sending mode 3 is not for tag 1 or 2 templates'],
};

/** Zalo OA-API codes (messages sent by user id, TypeId 26; OA reads): docs/protocols.md §4.2. */
const OA_API: Record<number, Row> = {
  [-32]: ['Vượt giới hạn tần suất gọi API', 'API rate limit exceeded'],
  [-213]: ['Người dùng chưa quan tâm OA', 'User has not followed the OA'],
  [-216]: ['Access token không hợp lệ', 'Access token invalid'],
  [-220]: ['Access token đã hết hạn', 'Access token expired'],
  [-227]: ['Người dùng không hoạt động quá 45 ngày', 'User inactive for more than 45 days'],
  [-230]: ['Người dùng không tương tác với OA trong 7 ngày qua', 'User has not interacted with the OA in the past 7 days'],
  [-232]: ['Người dùng chưa có tương tác hoặc tương tác đã hết hạn', 'No interaction from the user, or it has expired'],
  [-234]: ['Không gửi được vào ban đêm (22:00–06:00)', 'Cannot send at night (22:00–06:00)'],
  [-244]: ['Người dùng đã hạn chế loại tin này', 'User restricted this message type'],
  [-248]: ['Vi phạm chính sách', 'Policy violation'],
  [-249]: ['Mẫu không hỗ trợ gửi theo user id', 'Template does not support sending by user id'],
  [-320]: ['Chưa kết nối Zalo Cloud Account (ZCA)', 'Zalo Cloud Account (ZCA) not connected'],
  [-321]: ['Zalo Cloud Account (ZCA) hết tiền', 'Zalo Cloud Account (ZCA) out of money'],
};

/** eSMS codes: 1001 in `error_info`, and the API result codes (`CodeResult`): docs/protocols.md §4.3. */
const ESMS: Record<number, Row> = {
  1001: ['Người dùng không trực tuyến để nhận tin trong thời gian cho phép', 'The user was not online to receive it within the allowed time'],
  99: ['Số điện thoại bị chặn', 'Phone number blocked'],
  100: ['eSMS đã nhận yêu cầu (chưa phải đã gửi tới)', 'Accepted by eSMS (not yet delivered)'],
  101: ['Sai ApiKey hoặc SecretKey', 'Wrong ApiKey or SecretKey'],
  102: ['Tài khoản chưa có bảng giá', 'No price list for the account'],
  103: ['Số dư không đủ', 'Insufficient balance'],
  104: ['Thiếu brandname hoặc mã gọi', 'Brandname or call code missing'],
  105: ['Không tìm thấy SMSID (tin mới chưa tra cứu được ngay)', 'SMSID not found (a new message is not queryable at once)'],
  106: ['Thiếu bản ghi âm', 'Recording missing'],
  107: ['Tin quảng cáo cần ít nhất 30 số khác nhau', 'A promotion needs at least 30 distinct numbers'],
  108: ['Sai định dạng số điện thoại', 'Wrong phone number format'],
  110: ['Dữ liệu yêu cầu không hợp lệ', 'Invalid request data'],
  115: ['hashphone không hợp lệ', 'Invalid hashphone'],
  118: ['Loại tin không được hỗ trợ', 'Message type not supported'],
  120: ['Quá nhiều số (tin quảng cáo)', 'Too many numbers (promotion)'],
  124: ['Trùng RequestId', 'Duplicate RequestId'],
  140: ['IP chưa được cho phép', 'Caller IP not allow-listed'],
  143: ['Tài khoản chưa kích hoạt hoặc bị khóa', 'Account inactive or locked'],
  146: ['Sai mẫu tin chăm sóc khách hàng', 'Wrong customer-care template'],
  160: ['Vượt giới hạn tần suất (TPS)', 'Rate limit (TPS) exceeded'],
  163: ['Nhiều hơn một số trong một yêu cầu (đầu số cố định)', 'More than one phone per request (fixed number)'],
  171: ['Mã đã dùng hoặc hết hạn', 'Code used or expired'],
  177: ['Nhà mạng chưa được đăng ký', 'Telco not registered'],
  199: ['Yêu cầu đang được xử lý', 'Request already in progress'],
  201: ['Có từ khóa bị chặn', 'Blocked keyword'],
  204: ['OAID không xác định', 'Unknown OAID'],
  210: ['Dữ liệu gửi không đúng quy định', 'Payload not as specified'],
  300: ['Thiếu loại tin', 'Message type missing'],
  301: ['Mã dịch vụ không được hỗ trợ', 'Service code not supported'],
  687: ['Quá 500 số', 'More than 500 numbers'],
  788: ['OAID chưa được kích hoạt', 'OAID not active'],
  789: ['Mẫu chưa được cấu hình cho OAID này', 'Template not configured for this OAID'],
  790: ['Sai mẫu ZNS', 'Wrong ZNS template'],
  791: ['Thiếu OAID hoặc TemplateID', 'OAID or TemplateID missing'],
  799: ['OAID không hoạt động, sai hoặc chưa được thêm', 'OAID inactive, wrong or not added'],
  801: ['Chế độ vượt hạn mức không cho hẹn giờ gửi', 'Over-quota mode does not allow scheduled sends'],
  802: ['OA không được dùng chế độ vượt hạn mức', 'OA not allowed to use over-quota mode'],
  851: ['Thiếu MessageId hoặc SMSID', 'MessageId or SMSID missing'],
  854: ['Không có dữ liệu', 'No data'],
};

const withFamily = (family: CodeFamily, rows: Record<number, Row>): Array<[number, CodeDescription]> =>
  Object.entries(rows).map(([code, [vi, en]]) => [Number(code), { vi, en, family }]);

/** Every catalogued code. Zalo's codes are 0 or negative and eSMS's positive, so one number names one code. */
export const ERROR_CATALOGUE: ReadonlyMap<number, CodeDescription> = new Map([
  ...withFamily('zns', ZNS), ...withFamily('oa-api', OA_API), ...withFamily('esms', ESMS),
]);

/** The description of `code`, or undefined when it is not catalogued. */
export const describeErrorCode = (code: number | undefined): CodeDescription | undefined =>
  code === undefined ? undefined : ERROR_CATALOGUE.get(code);
