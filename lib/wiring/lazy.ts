/**
 * A handler built on its first call: a wiring module that serves several functions (the read routes) then
 * builds, in each function, only the adapters of the handler that function runs.
 */
export const lazy = <A extends unknown[], R>(build: () => (...args: A) => R): ((...args: A) => R) => {
  let built: ((...args: A) => R) | undefined;
  return (...args: A) => (built ??= build())(...args);
};
