// A manufacturer's change plans (PCCPs): each executed modification with the
// server's evaluation against the plan (within or outside it, with the
// reasons, the verdict per jurisdiction and the actions each one requires,
// cited), and the post-market performance reports as charts per metric,
// subgroup and site against the plan's bounds, each with its table.
import { path, type Json } from '../api';
import { useLoad } from '../hooks';
import { Link } from '../router';
import type { Session } from '../session';
import { Badge, Page, Status, Time } from './common';
import { withQuery } from './Dossier';
import { Performance } from './Performance';

export function ChangePlanList(props: { session: Session }) {
  const t = props.session.tenant.id;
  const list = useLoad(() => props.session.api.all(path`/v1/tenants/${t}/change-plans`, 'changePlans'), [t]);
  return (
    <Page title="Change plans">
      <Status of={list} what="the change plans" />
      {list.data?.length === 0 && <p class="muted">No change plan yet. Commit one with the dossier CLI or the SDK.</p>}
      {list.data && list.data.length > 0 && (
        <div class="table-wrap card">
          <table>
            <thead>
              <tr>
                <th scope="col">Change plan</th>
                <th scope="col">Title</th>
                <th scope="col">Dossier</th>
                <th scope="col">Latest version</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={path`/change-plans/${p.id}`}>{p.id}</Link>
                  </td>
                  <td>{p.title ?? <span class="muted">—</span>}</td>
                  <td>
                    <Link href={path`/dossiers/${p.dossier}`}>{p.dossier}</Link>
                  </td>
                  <td>{p.headVersion ? `Version ${p.headVersion}` : <span class="muted">none yet</span>}</td>
                  <td>
                    <Time at={p.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

const verdict = (within: boolean) => (within ? <Badge tone="ok">within plan</Badge> : <Badge tone="bad">outside plan</Badge>);

function Modification(props: { item: Json }) {
  const r = props.item.record ?? {};
  const e = props.item.evaluation ?? {};
  const failed = (e.findings ?? []).filter((f: Json) => !f.pass);
  return (
    <section class="card" aria-label={`Modification ${props.item.id}`}>
      <h2 class="row-head">
        <span>
          {r.modificationId ?? 'Revision'} → software {r.softwareVersion}
        </span>
        {verdict(Boolean(e.withinPlan))}
      </h2>
      <p class="muted">
        {r.date ? `Made ${r.date}. ` : ''}Evaluated {e.evaluationDate} against plan version {e.planVersion}
        {e.changeClass ? ` as a ${e.changeClass}` : ''}. {r.rationale}
      </p>
      {(e.reasons ?? []).length > 0 && (
        <>
          <h3>Why it is outside the plan</h3>
          <ul aria-label={`Reasons for ${props.item.id}`}>
            {e.reasons.map((x: Json, i: number) => (
              <li key={i}>
                <code>{x.code}</code> {x.explanation}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Per jurisdiction</h3>
      <div class="table-wrap">
        <table aria-label={`Verdict per jurisdiction for ${props.item.id}`}>
          <thead>
            <tr>
              <th scope="col">Jurisdiction</th>
              <th scope="col">Verdict</th>
              <th scope="col">Why</th>
              <th scope="col">Actions required</th>
            </tr>
          </thead>
          <tbody>
            {(e.jurisdictions ?? []).map((j: Json) => (
              <tr key={j.jurisdiction}>
                <th scope="row">
                  {j.jurisdiction}
                  <div class="cite">{j.reference}</div>
                </th>
                <td>{verdict(Boolean(j.withinPlan))}</td>
                <td>{j.explanation}</td>
                <td>
                  <ul class="plain">
                    {(e.actions ?? [])
                      .filter((a: Json) => a.jurisdiction === j.jurisdiction)
                      .map((a: Json, i: number) => (
                        <li key={i}>
                          <strong>{a.action}</strong>
                          {a.category ? ` (${a.category})` : ''}: {a.explanation}
                          <div class="cite">
                            {a.citation}
                            {a.verification ? ` · ${a.verification}` : ''}
                          </div>
                        </li>
                      ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>
          {(e.findings ?? []).length} acceptance criteria checked, {failed.length} failed
        </summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Subgroup</th>
                <th scope="col">Estimate</th>
                <th scope="col">Value</th>
                <th scope="col">Bound</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {(e.findings ?? []).map((f: Json, i: number) => (
                <tr key={i}>
                  <td>{f.metric}</td>
                  <td>{f.subgroup || 'all'}</td>
                  <td>{f.estimate}</td>
                  <td>{f.value}</td>
                  <td>
                    {f.thresholdMin !== null && f.thresholdMin !== undefined ? `≥ ${f.thresholdMin}` : ''}
                    {f.thresholdMax !== null && f.thresholdMax !== undefined ? `≤ ${f.thresholdMax}` : ''}
                  </td>
                  <td>{f.pass ? <Badge tone="ok">meets</Badge> : <Badge tone="bad">fails</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

const TABS = [
  ['modifications', 'Modifications'],
  ['performance', 'Post-market performance'],
] as const;

export function ChangePlanPage(props: { session: Session; plan: string; query: URLSearchParams }) {
  const { api, tenant } = props.session;
  const base = path`/v1/tenants/${tenant.id}/change-plans/${props.plan}`;
  const tab = props.query.get('tab') ?? 'modifications';
  const plan = useLoad(() => api.get(base), [base]);
  const modifications = useLoad(
    () => (tab === 'modifications' ? api.all(`${base}/modifications`, 'modifications') : Promise.resolve(null)),
    [base, tab],
  );
  return (
    <Page title={plan.data?.title ? `${plan.data.title} (${props.plan})` : `Change plan ${props.plan}`}>
      <Status of={plan} what="the change plan" />
      {plan.data && (
        <p class="summary">
          <span>
            For dossier <Link href={path`/dossiers/${plan.data.dossier}`}>{plan.data.dossier}</Link>, version{' '}
            {plan.data.headVersion}
          </span>
        </p>
      )}
      <nav aria-label="Change plan views">
        <ul class="tabs">
          {TABS.map(([id, label]) => (
            <li key={id}>
              <Link href={withQuery(props.query, { tab: id === 'modifications' ? undefined : id })} current={tab === id}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'modifications' && (
        <div class="stack">
          <Status of={modifications} what="the modifications" />
          {modifications.data?.length === 0 && <p class="muted">No modification recorded against this plan yet.</p>}
          {(modifications.data ?? []).map((m: Json) => (
            <Modification key={m.id} item={m} />
          ))}
        </div>
      )}
      {tab === 'performance' && <Performance api={api} base={base} />}
    </Page>
  );
}
