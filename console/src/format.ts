/** vi-VN numbers and VND, Vietnam-time timestamps shown with their offset. */
const number = new Intl.NumberFormat('vi-VN');
const money = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 4 });

export const fmtNumber = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : number.format(value));
export const fmtVnd = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : money.format(value));

/** Any ISO timestamp → Vietnam time with its offset: `30/11/2026 21:10:25 +07:00` (Vietnam has no DST). */
export const fmtTime = (iso: string | null | undefined): string => {
  if (!iso) return '–';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const [date = '', time = ''] = new Date(ms + 7 * 3_600_000).toISOString().split('T');
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y} ${time.slice(0, 8)} +07:00`;
};

/** Today as a Vietnam-time day (YYYY-MM-DD), shifted by `deltaDays`. */
export const vnDay = (deltaDays = 0, now = Date.now()): string =>
  new Date(now + 7 * 3_600_000 + deltaDays * 86_400_000).toISOString().slice(0, 10);

/** A `YYYY-MM-DD` day as shown: `dd/mm/yyyy` (the order Vietnam writes dates in, in both languages). */
export const fmtDay = (day: string | null | undefined): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  return match ? `${match[3]}/${match[2]}/${match[1]}` : day || '–';
};

/** What a day field holds → `YYYY-MM-DD`: `dd/mm/yyyy` (or `d/m/yyyy`, `-` or `.` between), or already `YYYY-MM-DD`; undefined if neither. */
export const parseDay = (text: string): string | undefined => {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return trimmed;
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  if (!match) return undefined;
  const [, d, m, y] = match;
  const iso = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
};
