/** Phone numbers (and Zalo user ids, which eSMS sends in the same field) never reach logs whole. */
export const maskPhone = (phone: string | undefined): string | undefined =>
  phone === undefined ? undefined : phone.length <= 4 ? '****' : `${'*'.repeat(phone.length - 3)}${phone.slice(-3)}`;

/** Masks every run of 8+ digits in free text (raw query strings, bodies) except its last 3 digits. */
export const maskDigits = (text: string): string => text.replace(/\d{8,}/g, (run) => maskPhone(run) ?? run);

const SECRET_PARAMS = /((?:access|refresh)_token|code|secret[a-z_]*|authorization)(["']?\s*[:=]\s*["']?)[^"'&,\s}]+/gi;

/** Removes token- and secret-looking values from free text before it is logged. */
export const redactSecrets = (text: string): string => SECRET_PARAMS.test(text) ? text.replace(SECRET_PARAMS, '$1$2[redacted]') : text;
