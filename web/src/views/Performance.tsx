// Post-market performance of a change plan: the signed reports, evaluated by
// the server against the plan (schema/pccp/post_market.h), drawn as one chart
// per metric, subgroup and site with the plan's bound, each beside a table of
// the same numbers; then what the latest report flagged and the alerts the
// drift raised.
import type { ApiClient, Json } from '../api';
import { useLoad } from '../hooks';
import { Badge, Status } from './common';
import { type ChartSeries, LineChart } from './Chart';

const bound = (v: unknown) => (typeof v === 'number' ? v : null);

// Findings of every report grouped by metric, subgroup and site, in report order.
export function seriesOf(reports: Json[]): ChartSeries[] {
  const byKey = new Map<string, ChartSeries>();
  for (const r of [...reports].sort((a, b) => Number(a.version) - Number(b.version))) {
    const e = r.evaluation ?? {};
    const label = `${e.periodStart ?? r.report?.periodStart} – ${e.periodEnd ?? r.report?.periodEnd}`;
    for (const f of e.findings ?? []) {
      if (typeof f.value !== 'number') continue;
      const key = [f.metric, f.subgroup ?? '', f.site ?? ''].join('|');
      let s = byKey.get(key);
      if (!s) {
        s = {
          id: `s${byKey.size}`,
          title: [f.metric, f.subgroup || 'all patients', f.site || 'all sites'].join(' · '),
          min: bound(f.thresholdMin),
          max: bound(f.thresholdMax),
          points: [],
        };
        byKey.set(key, s);
      }
      s.points.push({ label, short: `to ${e.periodEnd ?? r.report?.periodEnd}`, value: f.value, pass: Boolean(f.pass) });
    }
  }
  return [...byKey.values()];
}

function ChartTable(props: { series: ChartSeries }) {
  const s = props.series;
  const b = [s.min !== null && s.min !== undefined ? `≥ ${s.min}` : '', s.max !== null && s.max !== undefined ? `≤ ${s.max}` : '']
    .filter(Boolean)
    .join(', ');
  return (
    <div class="table-wrap">
      <table>
        <caption class="caption">
          {s.title} (plan: {b || 'no bound'})
        </caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Value</th>
            <th scope="col">Against the plan</th>
          </tr>
        </thead>
        <tbody>
          {s.points.map((p, i) => (
            <tr key={i}>
              <td>{p.label}</td>
              <td>{p.value}</td>
              <td>{p.pass ? <Badge tone="ok">within</Badge> : <Badge tone="bad">outside</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Flags(props: { report: Json }) {
  const flags: Json[] = props.report.evaluation?.flags ?? [];
  const drift = flags.filter((f) => f.drift);
  const other = flags.filter((f) => !f.drift);
  return (
    <section class="card" aria-labelledby="flags-title">
      <h2 id="flags-title">
        Latest report (version {props.report.version}, {props.report.report?.periodStart} –{' '}
        {props.report.report?.periodEnd}):{' '}
        {props.report.evaluation?.drift ? <Badge tone="bad">drift</Badge> : <Badge tone="ok">no drift</Badge>}
      </h2>
      {props.report.alert && (
        <p>
          Alert <code>{props.report.alert}</code> raised to the regulators holding a submission of the device.
        </p>
      )}
      {drift.length > 0 && (
        <ul aria-label="Drift">
          {drift.map((f, i) => (
            <li key={i}>{f.explanation}</li>
          ))}
        </ul>
      )}
      {other.length > 0 && (
        <details>
          <summary>{other.length} other notes (criteria of the plan this report does not cover)</summary>
          <ul>
            {other.map((f, i) => (
              <li key={i}>{f.explanation}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function Performance(props: { api: ApiClient; base: string }) {
  const reports = useLoad(async () => (await props.api.get(`${props.base}/performance-reports`)).reports ?? [], [props.base]);
  const list: Json[] = reports.data ?? [];
  const series = seriesOf(list);
  const latest = list.length ? [...list].sort((a, b) => Number(b.version) - Number(a.version))[0] : undefined;
  return (
    <div class="stack">
      <Status of={reports} what="the performance reports" />
      {reports.data && list.length === 0 && <p class="muted">No post-market performance report yet.</p>}
      {latest && <Flags report={latest} />}
      {series.length > 0 && (
        <p class="muted">
          {list.length} report{list.length === 1 ? '' : 's'}, {series.length} series. The dashed line is the plan's
          bound; the shaded band is outside it; a red diamond is a value outside the bound.
        </p>
      )}
      <div class="charts">
        {series.map((s) => (
          <figure class="card chart-card" key={s.id} aria-label={s.title}>
            <figcaption>
              <h3>{s.title}</h3>
            </figcaption>
            <div class="chart-pair">
              <LineChart series={s} />
              <ChartTable series={s} />
            </div>
          </figure>
        ))}
      </div>
    </div>
  );
}
