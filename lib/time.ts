/** Vietnam time (UTC+7, no daylight saving): report days, date parameters and displayed timestamps. */
const OFFSET_MS = 7 * 3600_000;

/** The `YYYY-MM-DD` date in Vietnam time of an epoch-ms instant. */
export const vietnamDay = (epochMs: number): string => new Date(epochMs + OFFSET_MS).toISOString().slice(0, 10);

/** ISO 8601 with the `+07:00` offset, as every answer shows timestamps. */
export const vietnamIso = (epochMs: number): string => `${new Date(epochMs + OFFSET_MS).toISOString().slice(0, 23)}+07:00`;

/** Epoch ms of 00:00 Vietnam time on `day` (`YYYY-MM-DD`, assumed valid). */
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00+07:00`);

/** True when `text` is a real calendar date written `YYYY-MM-DD` (2026-02-30 and 2026-13-01 are not). */
export const isCalendarDay = (text: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
};

/** Each day from `from` to `to`, both included (`from` ≤ `to`, both valid). */
export const daysBetween = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
};
