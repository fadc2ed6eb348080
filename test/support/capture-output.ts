/**
 * Keeps what the process writes to stdout and stderr (and keeps it off the test report). Installed in a
 * beforeAll that runs before the stack loads any handler: Powertools binds its console to these streams.
 */
import { afterAll, beforeAll, vi } from 'vitest';

export const captureOutput = (): string[] => {
  const printed: string[] = [];
  const capture = (stream: NodeJS.WriteStream) =>
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write);
  let spies: Array<ReturnType<typeof capture>> = [];
  beforeAll(() => { spies = [capture(process.stdout), capture(process.stderr)]; });
  afterAll(() => spies.forEach((spy) => spy.mockRestore()));
  return printed;
};
