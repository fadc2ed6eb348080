/**
 * A small SVG bar chart (sent / success / failed per day): a few hundred bytes of code instead of a
 * charting library, and every bar carries its value in data attributes so tests can read what is drawn.
 * It fills the width it is given (the SVG scales with its box), with a value axis, gridlines, the days on
 * the other axis and each bar's value above it when the bars are wide enough to hold it.
 */
import { html } from './html';
import { fmtNumber } from './format';

export interface ChartDay {
  day: string;
  sent: number;
  success: number;
  failed: number;
}

const SERIES = [['sent', '#2563eb'], ['success', '#16a34a'], ['failed', '#dc2626']] as const;
const W = 800;
const H = 280;
const LEFT = 64;
const RIGHT = 8;
const TOP = 18;
const BOTTOM = 30;

/** A round axis maximum at or above `max` (1, 2, 2.5 or 5 times a power of ten). */
export const niceMax = (max: number): number => {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((f) => f * power >= max) ?? 10;
  return step * power;
};

export const BarChart = ({ days, labels, title }: { days: ChartDay[]; labels: Record<string, string>; title: string }) => {
  const top = niceMax(Math.max(0, ...days.flatMap((d) => [d.sent, d.success, d.failed])));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const group = plotW / Math.max(1, days.length);
  const bar = Math.max(1, Math.min(36, (group - 10) / 3));
  const y = (value: number) => TOP + plotH - (value / top) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => top * f);
  // Day labels: every day while they fit, otherwise every k-th.
  const every = Math.max(1, Math.ceil(44 / group));
  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <svg role="img" aria-label=${title} viewBox=${`0 0 ${W} ${H}`} preserveAspectRatio="xMidYMid meet">
      <g class="axis y">${ticks.map((tick) => html`<g>
        <line x1=${LEFT} x2=${W - RIGHT} y1=${y(tick)} y2=${y(tick)} stroke="#e5e7eb" />
        <text x=${LEFT - 6} y=${y(tick) + 4} font-size="11" text-anchor="end" fill="#4b5563">${fmtNumber(Math.round(tick * 100) / 100)}</text></g>`)}
      </g>
      <line class="axis x" x1=${LEFT} x2=${W - RIGHT} y1=${TOP + plotH} y2=${TOP + plotH} stroke="#6b7280" />
      ${days.map((d, i) => {
        const x0 = LEFT + i * group + (group - 3 * bar) / 2;
        return html`<g class="day" data-day=${d.day}>
        ${SERIES.map(([name, color], k) => {
          const h = (d[name] / top) * plotH;
          return html`<rect class=${`bar ${name}`} data-series=${name} data-value=${d[name]} x=${x0 + k * bar} y=${TOP + plotH - h} width=${Math.max(1, bar - 2)} height=${h} fill=${color}>
            <title>${d.day} ${labels[name]}: ${fmtNumber(d[name])}</title></rect>
            ${bar >= 16 && d[name] > 0 ? html`<text class="value" x=${x0 + k * bar + (bar - 2) / 2} y=${TOP + plotH - h - 3} font-size="10" text-anchor="middle" fill="#111827">${fmtNumber(d[name])}</text>` : null}`;
        })}
        ${i % every === 0 ? html`<text class="tick" x=${LEFT + i * group + group / 2} y=${H - 10} font-size="11" text-anchor="middle" fill="#4b5563">${`${d.day.slice(8, 10)}/${d.day.slice(5, 7)}`}</text>` : null}
      </g>`;
      })}
    </svg>
    <div class="legend">${SERIES.map(([name, color]) => html`<span><i style=${`background:${color}`}></i>${labels[name]}</span>`)}</div>
  </figure>`;
};
