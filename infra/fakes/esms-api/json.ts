/**
 * JSON as eSMS's .NET stack writes it: decimals are number literals that keep their scale
 * (`"TotalPrice": 850.0000`), which `JSON.stringify` cannot produce from a JS number.
 */
const MARK = '\u0001raw\u0001';

/** A number literal written exactly as given (`'470.0000'`). */
export const raw = (literal: string): string => {
  if (!/^-?\d+(?:\.\d+)?$/.test(literal)) throw new Error(`not a number literal: ${literal}`);
  return `${MARK}${literal}`;
};

export const dotnetJson = (value: unknown, indent = 4): string =>
  JSON.stringify(value, null, indent).replace(/"\\u0001raw\\u0001(-?[\d.]+)"/g, '$1');

/** 1/10,000 VND from a decimal text, and back with 4 decimals. */
export const toE4 = (price: string): number => {
  const [units = '0', decimals = ''] = price.split('.');
  return Number(units + decimals.padEnd(4, '0').slice(0, 4));
};
export const fromE4 = (e4: number): string => {
  const whole = Math.floor(e4);
  return `${Math.floor(whole / 10_000)}.${String(whole % 10_000).padStart(4, '0')}`;
};
