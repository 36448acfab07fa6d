// Drift alerts: a post-market report that fell outside the authorised change
// plan, raised on this node (or relayed, verified, from a reliance peer), with
// what drifted and the reporting duties it may trigger, each cited with its
// binding level and verification. Both a regulator and the manufacturer have
// this inbox (GET /v1/tenants/{t}/alerts).
import { path, type Json } from '../api';
import { useLoad } from '../hooks';
import type { Session } from '../session';
import { Badge, Digest, Page, Status, Time } from './common';

function Alert(props: { alert: Json }) {
  const a = props.alert;
  const who = a.agency ? `for ${a.agency}` : a.agencies ? `for ${(a.agencies as string[]).join(', ')}` : '';
  return (
    <section class="card" aria-label={`Alert ${a.id}`}>
      <h2 class="row-head">
        <span>
          {a.manufacturer}'s {a.changePlan}, software {a.evaluation?.softwareVersion}
        </span>
        {a.drift ? <Badge tone="bad">drift</Badge> : <Badge tone="ok">no drift</Badge>}
      </h2>
      <p class="muted">
        {a.origin === 'relayed' ? `Relayed from ${a.peerTenant ?? 'a peer'} and verified here` : 'Raised on this node'}{' '}
        {who} <Time at={a.raisedAt} /> · report version {a.reportVersion} (log index {a.reportLogIndex}){' '}
        <Digest value={a.reportDigest} /> against plan version {a.planVersion}
        {(a.submissions ?? []).length > 0 ? ` · submissions ${a.submissions.join(', ')}` : ''}
      </p>
      <ul aria-label={`What drifted in ${a.id}`}>
        {(a.driftFlags ?? []).map((f: Json, i: number) => (
          <li key={i}>{f.explanation}</li>
        ))}
      </ul>
      {(a.reportingDuties ?? []).length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="caption">Reporting duties this drift may trigger (whether one applies depends on the events behind it)</caption>
            <thead>
              <tr>
                <th scope="col">Duty</th>
                <th scope="col">Deadline</th>
                <th scope="col">When</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {a.reportingDuties.map((d: Json) => (
                <tr key={d.id}>
                  <th scope="row">
                    {d.title}
                    <div class="cite">
                      {d.jurisdiction} · {d.id}
                    </div>
                  </th>
                  <td>{d.deadline}</td>
                  <td>{d.trigger}</td>
                  <td>
                    {d.source} {d.section} ({d.binding}){' '}
                    {d.verified ? <Badge tone="ok">verified</Badge> : <Badge tone="warn">unverified</Badge>}
                    <div class="cite">{d.quote}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function AlertList(props: { session: Session }) {
  const t = props.session.tenant.id;
  const list = useLoad(async () => (await props.session.api.get(path`/v1/tenants/${t}/alerts`)).alerts ?? [], [t]);
  return (
    <Page title="Drift alerts">
      <Status of={list} what="the alerts" />
      {list.data?.length === 0 && <p class="muted">No drift alert.</p>}
      <div class="stack">
        {(list.data ?? []).map((a: Json) => (
          <Alert key={`${a.origin}-${a.peerTenant ?? ''}-${a.id}`} alert={a} />
        ))}
      </div>
    </Page>
  );
}
