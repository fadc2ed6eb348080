/** The progress bar of the command-line tools (audit, reconcile), on stderr. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const WIDTH = 30;
const STEP_PERCENT = 10;
export const number = (value: number): string => value.toLocaleString('en-US');

/**
 * A progress bar on `out`: redrawn in place on a terminal; elsewhere (a log, a pipe) one line each time
 * it crosses a 10 % step. It never shows 100 % before `done()`.
 */
export const progressBar = (out: ProgressStream | undefined, label: string) => {
  let lastStep = -1;
  let lastLength = 0;
  let finished = false;
  const draw = (percent: number, detail: string) => {
    if (!out || finished) return;
    if (out.isTTY) {
      const line = `${label} [${'#'.repeat(Math.round((percent / 100) * WIDTH)).padEnd(WIDTH, '.')}] ${String(percent).padStart(3)} % ${detail}`;
      out.write(`\r${line.padEnd(lastLength)}`);
      lastLength = line.length;
      return;
    }
    const step = Math.floor(percent / STEP_PERCENT);
    if (step <= lastStep) return;
    lastStep = step;
    out.write(`${label.trim()}: ${percent} % ${detail}\n`);
  };
  return {
    /** `fraction` of the work done, shown clamped to 0–99 %. */
    show(fraction: number, detail: string): void {
      draw(Math.min(99, Math.max(0, Math.floor((Number.isFinite(fraction) ? fraction : 0) * 100))), detail);
    },
    done(detail: string): void {
      draw(100, detail);
      if (out?.isTTY && !finished) out.write('\n');
      finished = true;
    },
  };
};
