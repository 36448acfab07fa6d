// A reviewer's submission: exactly the version that was submitted (ToC,
// documents, structured fields), readiness for this agency's pathway, the
// decisions recorded and the form to sign one, and the reliance view: what
// other regulators decided on the same device, heading by heading identical
// or not.
import { path, type Json } from '../api';
import { useLoad } from '../hooks';
import { Link, navigate } from '../router';
import type { Session } from '../session';
import { compareCodes, headingTitle } from '../toc';
import { DossierBrowser, type DossierContent } from './Browser';
import { Badge, humanize, Page, Status, statusTone } from './common';
import { Comments } from './Comments';
import { Correspondence } from './Correspondence';
import { DecisionForm } from './Decision';
import { withQuery } from './Dossier';
import { ReadinessReport } from './Readiness';

const TABS = [
  ['contents', 'Contents'],
  ['correspondence', 'Ledger and clock'],
  ['comments', 'Comments'],
  ['readiness', 'Readiness'],
  ['decision', 'Decision'],
  ['reliance', 'Reliance'],
] as const;

// A device fact as text; an empty list or object says "not stated".
function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return 'not stated';
  if (Array.isArray(v)) return v.length ? v.map(show).join('; ') : 'not stated';
  if (typeof v === 'object') return Object.keys(v).length ? JSON.stringify(v) : 'not stated';
  return String(v);
}

function Reliance(props: { report: Json; edition: string; headingHref: (code: string) => string }) {
  const decisions: Json[] = props.report.decisions ?? [];
  if (decisions.length === 0) {
    return (
      <p class="card muted">
        No other regulator's decision on this device has been received yet (decisions arrive from the peers this node
        pulls).
      </p>
    );
  }
  return (
    <div class="stack">
      {decisions.map((d, i) => {
        const sections: Json[] = [...(d.sections ?? [])].sort((a, b) => compareCodes(a.code, b.code));
        const same = sections.filter((s) => s.identical).length;
        const who = d.peerTenant || d.peer;
        return (
          <section class="card" key={i} aria-label={`Decision by ${who}`}>
            <h2>
              {who}: <Badge tone={statusTone(String(d.outcome))}>{d.outcome}</Badge> {d.number}
            </h2>
            <p class="muted">
              {d.date ? `Decided ${d.date}. ` : ''}
              Pulled from {d.peerOrigin || d.peer} and verified against its log.{' '}
              {same} of {sections.length} headings are identical to this submission
              {d.attestation ? ` · ${d.attestation}` : ''}.
            </p>
            {d.summary && <p>{d.summary}</p>}
            {(d.facts ?? []).length > 0 && (
              <div class="table-wrap">
                <table>
                  <caption class="muted" style={{ textAlign: 'left' }}>
                    Device facts:{' '}
                    {d.sameFacts === true ? 'the same' : d.sameFacts === false ? 'some differ' : 'not all known'}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Fact</th>
                      <th scope="col">This submission</th>
                      <th scope="col">{who}</th>
                      <th scope="col">Same</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.facts.map((f: Json) => (
                      <tr key={f.fact}>
                        <th scope="row">{humanize(f.fact)}</th>
                        <td>{show(f.thisSubmission)}</td>
                        <td>{show(f.peer)}</td>
                        <td>
                          {f.same === true ? (
                            <Badge tone="ok">same</Badge>
                          ) : f.same === false ? (
                            <Badge tone="warn">differs</Badge>
                          ) : (
                            <Badge tone="info">unknown</Badge>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <ul class="checklist" aria-label={`Headings compared with ${who}'s decision`}>
              {sections.map((s) => (
                <li key={s.code}>
                  <div>{s.identical ? <Badge tone="ok">identical</Badge> : <Badge tone="warn">DIFFERENT</Badge>}</div>
                  <div>
                    <Link href={props.headingHref(s.code)}>
                      {s.code} {headingTitle(props.edition, s.code)}
                    </Link>
                    {s.onlyIn && <div class="why">only in {s.onlyIn}</div>}
                    {s.peerReview && (
                      <div class="why">
                        {who}'s review: {s.peerReview.outcome}
                        {s.peerReview.notes ? ` — ${s.peerReview.notes}` : ''}
                      </div>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

export function ReviewPage(props: { session: Session; id: string; query: URLSearchParams }) {
  const { api, tenant } = props.session;
  const base = path`/v1/tenants/${tenant.id}/submissions/${props.id}`;
  const tab = props.query.get('tab') ?? 'contents';
  const record = useLoad(() => api.get(base), [base]);
  const version = useLoad(() => api.get(`${base}/content`), [base]);
  const decisions = useLoad(async () => (await api.get(`${base}/decisions`)).decisions ?? [], [base]);
  const readiness = useLoad(() => (tab === 'readiness' ? api.get(`${base}/readiness`) : Promise.resolve(null)), [base, tab]);
  const reliance = useLoad(() => (tab === 'reliance' ? api.get(`${base}/reliance`) : Promise.resolve(null)), [base, tab]);
  const content: DossierContent | undefined = version.data?.content ?? version.data;
  const edition = content?.tocEdition ?? '';
  const s = record.data;
  const headingHref = (code: string) => withQuery(props.query, { tab: undefined, h: code });

  return (
    <Page title={content?.device?.tradeName ? `${content.device.tradeName} — submission ${props.id}` : `Submission ${props.id}`}>
      <Status of={record} what="the submission" />
      {s && (
        <p class="summary">
          <Badge tone={statusTone(String(s.status))}>{s.status}</Badge>
          <span>
            From {s.manufacturer}, {s.dossier} version {s.version}, pathway {s.pathway}
          </span>
          {s.decision && (
            <span>
              · decided {s.decision.outcome} {s.decision.number}
            </span>
          )}
        </p>
      )}
      <nav aria-label="Submission views">
        <ul class="tabs">
          {TABS.map(([id, label]) => (
            <li key={id}>
              <Link href={withQuery(props.query, { tab: id === 'contents' ? undefined : id })} current={tab === id}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'contents' && (
        <>
          <Status of={version} what="the submitted version" />
          {content && (
            <DossierBrowser
              content={content}
              heading={props.query.get('h') ?? undefined}
              onSelect={(code) => navigate(withQuery(props.query, { h: code }))}
              api={api}
              blobPath={(digest) => `${base}/blobs/${encodeURIComponent(digest)}`}
            />
          )}
        </>
      )}
      {tab === 'correspondence' && (
        <Correspondence
          api={api}
          base={base}
          party="agency"
          edition={edition}
          query={props.query}
          headingHref={headingHref}
        />
      )}
      {tab === 'comments' && (
        <>
          <Status of={version} what="the submitted version" />
          {content && (
            <Comments api={api} base={base} edition={edition} sections={content.sections ?? []} headingHref={headingHref} />
          )}
        </>
      )}
      {tab === 'readiness' && (
        <>
          <Status of={readiness} what="readiness for your agency" />
          {readiness.data && <ReadinessReport report={readiness.data} headingHref={headingHref} />}
        </>
      )}
      {tab === 'decision' && (
        <div class="stack">
          <Status of={decisions} what="the decisions" />
          {decisions.data && decisions.data.length > 0 && (
            <div class="card">
              <h2>Decisions recorded</h2>
              <ul>
                {decisions.data.map((d: Json) => (
                  <li key={d.version}>
                    Version {d.version}: <strong>{d.decision?.outcome}</strong> {d.decision?.number} on {d.decision?.date}
                    , log index {d.logIndex}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {s && decisions.data && s.status !== 'WITHDRAWN' && (
            <DecisionForm
              api={api}
              tenant={tenant.id}
              submission={s}
              edition={edition}
              previous={decisions.data}
              onDecided={() => {
                decisions.reload();
                record.reload();
              }}
            />
          )}
        </div>
      )}
      {tab === 'reliance' && (
        <>
          <Status of={reliance} what="other regulators' decisions" />
          {reliance.data && <Reliance report={reliance.data} edition={edition} headingHref={headingHref} />}
        </>
      )}
    </Page>
  );
}
