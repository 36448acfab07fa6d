// The lists a signed-in user starts from: a manufacturer's dossiers and
// submissions, a regulator's inbox.
import { path, type Json } from '../api';
import { useLoad } from '../hooks';
import { Link } from '../router';
import type { Session } from '../session';
import { Comments } from './Comments';
import { Badge, Page, Status, statusTone, Time } from './common';
import { ClockSummary, Correspondence } from './Correspondence';
import { withQuery } from './Dossier';

export function DossierList(props: { session: Session }) {
  const t = props.session.tenant.id;
  const list = useLoad(() => props.session.api.all(path`/v1/tenants/${t}/dossiers`, 'dossiers'), [t]);
  return (
    <Page title="Dossiers">
      <Status of={list} what="the dossiers" />
      {list.data?.length === 0 && <p class="muted">No dossiers yet. Create one with the dossier CLI or the SDK.</p>}
      {list.data && list.data.length > 0 && (
        <div class="table-wrap card">
          <table>
            <thead>
              <tr>
                <th scope="col">Dossier</th>
                <th scope="col">Title</th>
                <th scope="col">Latest version</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link href={path`/dossiers/${d.id}`}>{d.id}</Link>
                  </td>
                  <td>{d.title ?? <span class="muted">—</span>}</td>
                  <td>{d.headVersion ? `Version ${d.headVersion}` : <span class="muted">none yet</span>}</td>
                  <td>
                    <Time at={d.updatedAt} />
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

function SubmissionTable(props: { rows: Json[]; href: (s: Json) => string; party: 'agency' | 'manufacturer' }) {
  return (
    <div class="table-wrap card">
      <table>
        <thead>
          <tr>
            <th scope="col">Submission</th>
            <th scope="col">{props.party === 'agency' ? 'Agency' : 'Manufacturer'}</th>
            <th scope="col">Dossier</th>
            <th scope="col">Pathway</th>
            <th scope="col">Status</th>
            <th scope="col">Review clock</th>
            <th scope="col">Decision</th>
            <th scope="col">Submitted</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((s) => (
            <tr key={s.id}>
              <td>
                <Link href={props.href(s)}>{s.id}</Link>
              </td>
              <td>{props.party === 'agency' ? s.agency : s.manufacturer}</td>
              <td>
                {s.dossier} v{s.version}
              </td>
              <td>{s.pathway}</td>
              <td>
                <Badge tone={statusTone(String(s.status ?? ''))}>{s.status}</Badge>
              </td>
              <td>
                <ClockSummary clock={s.clock} />
              </td>
              <td>{s.decision ? `${s.decision.outcome} ${s.decision.number ?? ''}` : <span class="muted">—</span>}</td>
              <td>
                <Time at={s.submittedAt ?? s.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SubmissionList(props: { session: Session }) {
  const t = props.session.tenant.id;
  const list = useLoad(() => props.session.api.all(path`/v1/tenants/${t}/submissions`, 'submissions'), [t]);
  return (
    <Page title="Submissions">
      <Status of={list} what="the submissions" />
      {list.data?.length === 0 && <p class="muted">Nothing submitted yet.</p>}
      {list.data && list.data.length > 0 && (
        <SubmissionTable rows={list.data} party="agency" href={(s) => path`/submissions/${s.id}`} />
      )}
    </Page>
  );
}

// Undecided first; among them overdue, then due soon, then the nearest
// deadline of the review clock; then oldest first: what is most pressing
// comes first.
function inboxOrder(a: Json, b: Json): number {
  const open = (s: Json) => (s.status === 'DECIDED' || s.status === 'WITHDRAWN' ? 1 : 0);
  const urgency = (s: Json) => (s.clock?.overdue ? 0 : s.clock?.dueSoon ? 1 : 2);
  const nextDue = (s: Json) =>
    ((s.clock?.deadlines ?? []) as Json[])
      .map((d) => String(d.dueOn ?? ''))
      .filter(Boolean)
      .sort()[0] ?? '9999';
  return (
    open(a) - open(b) ||
    urgency(a) - urgency(b) ||
    nextDue(a).localeCompare(nextDue(b)) ||
    String(a.submittedAt ?? a.createdAt ?? '').localeCompare(String(b.submittedAt ?? b.createdAt ?? ''))
  );
}

export function Inbox(props: { session: Session }) {
  const t = props.session.tenant.id;
  const list = useLoad(() => props.session.api.all(path`/v1/tenants/${t}/inbox`, 'submissions'), [t]);
  return (
    <Page title="Inbox">
      <Status of={list} what="the inbox" />
      {list.data?.length === 0 && <p class="muted">No submissions addressed to {t}.</p>}
      {list.data && list.data.length > 0 && (
        <SubmissionTable
          rows={[...list.data].sort(inboxOrder)}
          party="manufacturer"
          href={(s) => path`/inbox/${s.id}`}
        />
      )}
    </Page>
  );
}

const SUBMISSION_TABS = [
  ['correspondence', 'Ledger and clock'],
  ['comments', 'Comments'],
] as const;

// The manufacturer's view of one submission: status and decision, the
// correspondence ledger with the review clock, and the reviewers' comments.
export function SubmissionPage(props: { session: Session; id: string; query: URLSearchParams }) {
  const { api, tenant } = props.session;
  const base = path`/v1/tenants/${tenant.id}/submissions/${props.id}`;
  const tab = props.query.get('tab') ?? 'correspondence';
  const s = useLoad(() => api.get(base), [base]);
  const d = s.data;
  const submitted = useLoad(
    async () => (d ? (await api.get(path`/v1/tenants/${tenant.id}/dossiers/${d.dossier}/versions/${d.version}`)).content : null),
    [d?.dossier, d?.version],
  );
  const edition = submitted.data?.tocEdition ?? d?.tocEdition ?? '';
  const headingHref = (code: string) =>
    path`/dossiers/${d?.dossier ?? ''}` + `?v=${encodeURIComponent(d?.version ?? '')}&h=${encodeURIComponent(code)}`;
  return (
    <Page title={`Submission ${props.id}`}>
      <Status of={s} what="the submission" />
      {d && (
        <div class="card">
          <dl class="fields">
            <div>
              <dt>Agency</dt>
              <dd>{d.agency}</dd>
            </div>
            <div>
              <dt>Pathway</dt>
              <dd>{d.pathway}</dd>
            </div>
            <div>
              <dt>Dossier</dt>
              <dd>
                <Link href={path`/dossiers/${d.dossier}` + `?v=${encodeURIComponent(d.version)}`}>
                  {`${d.dossier} version ${d.version}`}
                </Link>
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <Badge tone={statusTone(String(d.status))}>{d.status}</Badge>
              </dd>
            </div>
            <div>
              <dt>Review clock</dt>
              <dd>
                <ClockSummary clock={d.clock} />
              </dd>
            </div>
            {d.decision && (
              <div>
                <dt>Decision</dt>
                <dd>
                  {d.decision.outcome} {d.decision.number} on {d.decision.date}
                </dd>
              </div>
            )}
          </dl>
        </div>
      )}
      <nav aria-label="Submission views" class="after-card">
        <ul class="tabs">
          {SUBMISSION_TABS.map(([id, label]) => (
            <li key={id}>
              <Link href={withQuery(props.query, { tab: id === 'correspondence' ? undefined : id })} current={tab === id}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'correspondence' && (
        <Correspondence
          api={api}
          base={base}
          party="manufacturer"
          edition={edition}
          query={props.query}
          headingHref={headingHref}
        />
      )}
      {tab === 'comments' && (
        <>
          <Status of={submitted} what="the submitted version" />
          {submitted.data && (
            <Comments
              api={api}
              base={base}
              edition={edition}
              sections={submitted.data.sections ?? []}
              headingHref={headingHref}
            />
          )}
        </>
      )}
    </Page>
  );
}
