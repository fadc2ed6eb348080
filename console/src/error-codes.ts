/**
 * Human descriptions of the codes an eSMS `error_info` carries (docs/protocols.md §4, Zalo's ZNS table), in both
 * languages. Unknown codes show the provider's own message.
 */
const CODES: Record<number, [vi: string, en: string]> = {
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
  [-112]: ['Dữ liệu mẫu không hợp lệ', 'Template data invalid'],
  [-113]: ['Nút bấm không hợp lệ', 'Button invalid'],
  [-114]: ['Người dùng không hoạt động, từ chối tin, dùng Zalo cũ hoặc lỗi nội bộ', 'User inactive, rejected the message, outdated Zalo, or an internal error'],
  [-115]: ['Hết hạn mức ZNS (số dư)', 'Out of ZNS quota (balance)'],
  [-116]: ['Nội dung không hợp lệ', 'Content invalid'],
  [-117]: ['Không có quyền dùng mẫu này (App/OA/mẫu không khớp)', 'No permission to use this template (app/OA/template mismatch)'],
  [-118]: ['Tài khoản Zalo không tồn tại hoặc đã bị khóa', 'Zalo account does not exist or is deactivated'],
  [-119]: ['Tài khoản không thể nhận tin', 'Account cannot receive messages'],
  [-120]: ['OA chưa có quyền dùng tính năng này', 'OA lacks permission for this feature'],
  [-124]: ['Access token không hợp lệ', 'Access token invalid'],
  [-125]: ['Mã OA không hợp lệ', 'OA id invalid'],
  [-126]: ['Hết hạn mức ở chế độ phát triển', 'Out of quota in development mode'],
  [-127]: ['Mẫu thử chỉ gửi được cho quản trị viên', 'Test template can only be sent to admins'],
  [-130]: ['Nội dung vượt quá giới hạn ký tự', 'Content exceeds the character limit'],
  [-131]: ['Mẫu chưa được duyệt', 'Template not approved'],
  [-132]: ['Tham số không hợp lệ', 'Parameter invalid'],
  [-133]: ['Không gửi được vào ban đêm (22:00–06:00)', 'Cannot send at night (22:00–06:00)'],
  [-135]: ['OA không được phép gửi ZNS', 'OA not allowed to send ZNS'],
  [-137]: ['Thanh toán ZCA thất bại', 'Zalo Cloud Account charge failed'],
  [-139]: ['Người dùng từ chối loại nội dung này', 'User refused this content type'],
  [-140]: ['Người dùng không đủ điều kiện nhận loại tin này', 'User not eligible for this message type'],
  [-141]: ['Người dùng từ chối ZNS từ OA này', 'User refused ZNS from this OA'],
  [-144]: ['OA vượt hạn mức ZNS trong ngày', 'OA exceeded its daily ZNS limit'],
  [-145]: ['OA không được gửi loại nội dung này', 'OA not allowed to send this content type'],
  [-146]: ['Mẫu bị tắt do chất lượng thấp', 'Template disabled for low quality'],
  [-147]: ['Mẫu vượt hạn mức trong ngày', 'Template daily limit exceeded'],
  [-148]: ['Không tìm thấy Journey token', 'Journey token not found'],
  [-149]: ['Journey token không hợp lệ', 'Journey token invalid'],
  [-150]: ['Journey token đã hết hạn', 'Journey token expired'],
};

export const describeCode = (code: number | undefined, fallback: string | undefined, vi: boolean): string | undefined => {
  if (code === undefined) return fallback;
  const known = CODES[code];
  return known ? known[vi ? 0 : 1] : fallback;
};
