/**
 * A small SVG bar chart (sent / success / failed per day): a few hundred bytes of code instead of a
 * charting library, and every bar carries its value in data attributes so tests can read what is drawn.
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

export const BarChart = ({ days, labels, title }: { days: ChartDay[]; labels: Record<string, string>; title: string }) => {
  const max = Math.max(1, ...days.flatMap((d) => [d.sent, d.success, d.failed]));
  const width = Math.max(320, days.length * 48);
  const height = 180;
  const group = width / Math.max(1, days.length);
  const bar = Math.min(14, (group - 8) / 3);
  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <svg role="img" aria-label=${title} viewBox=${`0 0 ${width} ${height + 24}`} preserveAspectRatio="xMinYMin meet">
      ${days.map((d, i) => html`<g class="day" data-day=${d.day}>
        ${SERIES.map(([name, color], k) => {
          const h = Math.round((d[name] / max) * height);
          return html`<rect class=${`bar ${name}`} data-series=${name} data-value=${d[name]} x=${i * group + 4 + k * bar} y=${height - h} width=${bar - 1} height=${h} fill=${color}>
            <title>${d.day} ${labels[name]}: ${fmtNumber(d[name])}</title></rect>`;
        })}
        <text x=${i * group + 4} y=${height + 16} font-size="10">${d.day.slice(5)}</text>
      </g>`)}
    </svg>
    <div class="legend">${SERIES.map(([name, color]) => html`<span><i style=${`background:${color}`}></i>${labels[name]}</span>`)}</div>
  </figure>`;
};
