/**
 * A handler built on its first call: a wiring module that serves several functions (the read routes) then
 * builds, in each function, only the adapters of the handler that function runs.
 */
export const lazy = <A extends unknown[], R>(build: () => (...args: A) => R): ((...args: A) => R) => {
  let built: ((...args: A) => R) | undefined;
  return (...args: A) => (built ??= build())(...args);
};

/** A value built on first use, then kept for the instance (a client or key only some of a module's handlers need). */
export const once = <T>(build: () => T): (() => T) => {
  let built: T | undefined;
  return () => (built ??= build());
};
