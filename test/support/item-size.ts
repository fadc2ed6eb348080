/**
 * The size DynamoDB counts for an item (its documented rules: names and strings in UTF-8 bytes, numbers
 * about one byte per two significant digits plus one, 3 bytes per map or list plus 1 per element).
 * A measuring tool for tests of the 400 KB / 1 KB-per-unit limits, not a copy of any product code.
 */
const valueBytes = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value)).replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
    return Math.ceil(digits / 2) + 1;
  }
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + valueBytes(element) + 1, 0);
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'object') {
    return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + Buffer.byteLength(name, 'utf8') + valueBytes(element) + 1, 0);
  }
  throw new Error(`unsized value ${typeof value}`);
};

export const dynamoItemBytes = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueBytes(value), 0);
