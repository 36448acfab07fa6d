// A small line chart, drawn as SVG by this code (no chart library): one
// metric of one subgroup at one site over the reporting periods, against the
// plan's lower and/or upper bound. Points outside a bound are drawn as red
// diamonds (shape as well as colour), and the region beyond each bound is
// shaded. The SVG carries a text title and description; the table beside it
// (ChartTable) holds the same numbers for screen readers and copying.

export interface ChartPoint {
  label: string; // the period, e.g. "2026-04-01 – 2026-06-30"
  short: string; // axis label: the period's end
  value: number;
  pass: boolean;
}

export interface ChartSeries {
  id: string;
  title: string; // "sensitivity · ethnicity=east-asian · site-05-sg"
  min?: number | null;
  max?: number | null;
  points: ChartPoint[];
}

const W = 560;
const H = 220;
const M = { left: 52, right: 16, top: 14, bottom: 34 };
const INSET = 44; // keeps the first and last period's point and label inside the plot

const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, ''));

function domain(s: ChartSeries): [number, number] {
  const values = s.points.map((p) => p.value);
  if (typeof s.min === 'number') values.push(s.min);
  if (typeof s.max === 'number') values.push(s.max);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.25, Math.abs(hi) * 0.01, 0.005);
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

export function describe(s: ChartSeries): string {
  const bounds = [
    typeof s.min === 'number' ? `at least ${fmt(s.min)}` : '',
    typeof s.max === 'number' ? `at most ${fmt(s.max)}` : '',
  ].filter(Boolean);
  const failing = s.points.filter((p) => !p.pass);
  return (
    `${s.title}: ${s.points.map((p) => `${fmt(p.value)} in ${p.label}`).join(', ')}. ` +
    `The plan requires ${bounds.join(' and ') || 'no bound'}. ` +
    (failing.length ? `Outside the bound in ${failing.map((p) => p.label).join(', ')}.` : 'Within the bound in every period.')
  );
}

export function LineChart(props: { series: ChartSeries }) {
  const s = props.series;
  const [lo, hi] = domain(s);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i: number) =>
    M.left + INSET + (s.points.length === 1 ? (plotW - 2 * INSET) / 2 : ((plotW - 2 * INSET) * i) / (s.points.length - 1));
  const y = (v: number) => M.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const ticks = [0, 1, 2, 3].map((i) => lo + ((hi - lo) * (i + 0.5)) / 4);
  const titleId = `chart-${s.id}-title`;
  const descId = `chart-${s.id}-desc`;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={titleId}>{s.title}</title>
      <desc id={descId}>{describe(s)}</desc>
      {typeof s.min === 'number' && (
        <rect class="chart-out" x={M.left} y={y(s.min)} width={plotW} height={Math.max(0, M.top + plotH - y(s.min))} />
      )}
      {typeof s.max === 'number' && (
        <rect class="chart-out" x={M.left} y={M.top} width={plotW} height={Math.max(0, y(s.max) - M.top)} />
      )}
      {ticks.map((t) => (
        <g key={t}>
          <line class="chart-grid" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
          <text class="chart-tick" x={M.left - 6} y={y(t) + 4} text-anchor="end">
            {fmt(t)}
          </text>
        </g>
      ))}
      <line class="chart-axis" x1={M.left} x2={M.left} y1={M.top} y2={M.top + plotH} />
      <line class="chart-axis" x1={M.left} x2={W - M.right} y1={M.top + plotH} y2={M.top + plotH} />
      {[s.min, s.max].map((b, i) =>
        typeof b === 'number' ? (
          <g key={i}>
            <line class="chart-bound" x1={M.left} x2={W - M.right} y1={y(b)} y2={y(b)} />
            <text class="chart-bound-label" x={W - M.right - 2} y={y(b) + (i === 0 ? -5 : 13)} text-anchor="end">
              {i === 0 ? 'min' : 'max'} {fmt(b)}
            </text>
          </g>
        ) : null,
      )}
      {s.points.length > 1 && (
        <polyline class="chart-line" points={s.points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')} />
      )}
      {s.points.map((p, i) =>
        p.pass ? (
          <circle key={i} class="chart-point" cx={x(i)} cy={y(p.value)} r={4.5} />
        ) : (
          <path
            key={i}
            class="chart-point-out"
            d={`M ${x(i)} ${y(p.value) - 7} L ${x(i) + 7} ${y(p.value)} L ${x(i)} ${y(p.value) + 7} L ${x(i) - 7} ${y(p.value)} Z`}
          />
        ),
      )}
      {s.points.map((p, i) => (
        <text key={i} class="chart-tick" x={x(i)} y={H - 12} text-anchor="middle">
          {p.short}
        </text>
      ))}
    </svg>
  );
}
