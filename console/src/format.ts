/** vi-VN numbers and VND, Vietnam-time timestamps shown with their offset. */
const number = new Intl.NumberFormat('vi-VN');
const money = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 4 });

export const fmtNumber = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : number.format(value));
export const fmtVnd = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : money.format(value));

/** `2026-11-30T21:10:25.123+07:00` → `30/11/2026 21:10:25 +07:00` (the API already answers Vietnam time). */
export const fmtTime = (iso: string | null | undefined): string => {
  if (!iso) return '–';
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?([+-]\d{2}:\d{2}|Z)$/.exec(iso);
  if (!match) return iso;
  const [, y, m, d, time, offset] = match;
  return `${d}/${m}/${y} ${time} ${offset === 'Z' ? '+00:00' : offset}`;
};

/** Today as a Vietnam-time day (YYYY-MM-DD), shifted by `deltaDays`. */
export const vnDay = (deltaDays = 0, now = Date.now()): string =>
  new Date(now + 7 * 3_600_000 + deltaDays * 86_400_000).toISOString().slice(0, 10);
