/**
 * Placeholders for attribute → value pairs in an update expression: `#<p>i` names and `:<p>i` values,
 * so any attribute name (reserved words, `#`, shard ids) is safe to use.
 */
export const placeholders = (pairs: Array<readonly [string, unknown]>, prefix: string) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const refs = pairs.map(([attribute, value], index) => {
    names[`#${prefix}${index}`] = attribute;
    values[`:${prefix}${index}`] = value;
    return { name: `#${prefix}${index}`, value: `:${prefix}${index}` };
  });
  return {
    names,
    values,
    /** `#p0 = :p0` clauses for SET. */
    assignments: refs.map((ref) => `${ref.name} = ${ref.value}`),
    /** `#p0 :p0` clauses for ADD. */
    additions: refs.map((ref) => `${ref.name} ${ref.value}`),
  };
};
