/** eSMS callback query strings for synthetic messages (plain: usable by tests and the bench alike). */
export const callbackQuery = (m: { smsId: string; status: number; typeId?: number; receivers?: number; sent?: number; success?: number; failed?: number; price?: string; telco?: number; phone?: string; oa?: string; template?: string }): string =>
  [
    `SMSID=${m.smsId}`, `SendFailed=${m.failed ?? 0}`, `SendStatus=${m.status}`, `SendSuccess=${m.success ?? 0}`,
    `TotalPrice=${m.price ?? '0.0000'}`, `TotalReceiver=${m.receivers ?? 1}`, `TotalSent=${m.sent ?? 0}`, 'RequestId=',
    `TypeId=${m.typeId ?? 2}`, ...(m.telco ? [`telcoid=${m.telco}`] : []), ...(m.phone ? [`phonenumber=${m.phone}`] : []),
    ...(m.oa ? [`oaid=${m.oa}`] : []), ...(m.template ? [`tempid=${m.template}`] : []),
  ].join('&');
