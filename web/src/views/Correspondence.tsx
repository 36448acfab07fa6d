// What happened after "submit", for both parties of a submission: the review
// clock as the agency counts it (state, days used and remaining, the open
// deadlines, the rule it follows with that rule's source, binding level and
// verification), and the correspondence ledger (every event, who recorded it,
// signed and logged or not). The server computes the clock
// (schema/correspondence/review_clock.cc); the page only shows it, read at the
// day in ?asOf= (default: today).
import type { ComponentChildren } from 'preact';
import type { ApiClient, Json } from '../api';
import { useLoad } from '../hooks';
import { Link, navigate } from '../router';
import { headingTitle } from '../toc';
import { Badge, Digest, Status, Time } from './common';
import { withQuery } from './Dossier';

const EVENT_NAMES: Record<string, string> = {
  submitted: 'Submitted',
  sent: 'Sent to the agency',
  acknowledged: 'Acknowledged',
  screening: 'Screening',
  'ai-request': 'Additional information requested',
  response: 'Response',
  decision: 'Decision',
  withdrawal: 'Withdrawn',
};

const DAY_KINDS: Record<string, string> = { 'fda-days': 'FDA days', calendar: 'calendar days', working: 'working days' };
const dayKind = (k?: string) => DAY_KINDS[k ?? ''] ?? k ?? 'days';

export function clockTone(state?: string): 'ok' | 'bad' | 'warn' | 'info' {
  if (state === 'running' || state === 'decided') return 'ok';
  if (state === 'stopped') return 'warn';
  if (state === 'considered-withdrawn' || state === 'withdrawn') return 'bad';
  return 'info';
}

export function deadlineTone(status?: string): 'ok' | 'bad' | 'warn' | 'info' {
  if (status === 'overdue' || status === 'missed') return 'bad';
  if (status === 'due-soon') return 'warn';
  if (status === 'met') return 'ok';
  return 'info';
}

// One line for a clock in a list: "stopped · day 30 of 90 FDA days".
export function ClockSummary(props: { clock?: Json }) {
  const c = props.clock;
  if (!c || !c.state) return <span class="muted">—</span>;
  return (
    <span class="clock-summary">
      <Badge tone={clockTone(c.state)}>{c.state}</Badge>{' '}
      {c.goalDays !== undefined && c.elapsed !== undefined && (
        <span>
          day {c.elapsed} of {c.goalDays} {dayKind(c.dayKind)}
        </span>
      )}
      {c.overdue && <Badge tone="bad">overdue</Badge>}
      {!c.overdue && c.dueSoon && <Badge tone="warn">due soon</Badge>}
    </span>
  );
}

const DEADLINES: Record<string, string> = {
  'decision-goal': "The agency's decision goal",
  response: 'Your answer to the request',
  screening: 'The answer to the screening hold',
};

function Deadlines(props: { deadlines: Json[]; party: 'manufacturer' | 'agency' }) {
  if (props.deadlines.length === 0) return <p class="muted">No open deadline.</p>;
  return (
    <ul class="checklist" aria-label="Deadlines">
      {props.deadlines.map((d, i) => (
        <li key={i}>
          <div>
            <Badge tone={deadlineTone(d.status)}>{d.status}</Badge>
          </div>
          <div>
            {d.what === 'response' && props.party === 'agency'
              ? "The manufacturer's answer to the request"
              : (DEADLINES[d.what] ?? d.what)}
            {d.request ? ` (${d.request})` : ''}
            {d.dueOn ? (
              <>
                {' '}
                — due <strong>{d.dueOn}</strong>
              </>
            ) : (
              ''
            )}
            <div class="why">kept by the {d.owner}</div>
          </div>
        </li>
      ))}
    </ul>
  );
}

function Rules(props: { rules: Json[] }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="caption">The rules this clock follows</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Days</th>
            <th scope="col">Source</th>
            <th scope="col">Binding</th>
            <th scope="col">Verification</th>
          </tr>
        </thead>
        <tbody>
          {props.rules.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                {r.id}
                <div class="cite">{r.rule}</div>
              </th>
              <td>
                {r.days} {dayKind(r.dayKind)}
                {r.stopClock ? <div class="cite">stops while a request is open</div> : null}
              </td>
              <td>
                {r.source}
                {r.section && <div class="cite">{r.section}</div>}
              </td>
              <td>{r.binding}</td>
              <td>
                <Badge tone={/^verified/.test(String(r.verification)) ? 'ok' : 'warn'}>
                  {/^verified/.test(String(r.verification)) ? 'verified' : 'unverified'}
                </Badge>
                <div class="cite">{String(r.verification ?? '').replace(/^(un)?verified:\s*/, '')}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ClockCard(props: { clock: Json; party: 'manufacturer' | 'agency' }) {
  const c = props.clock;
  const hasGoal = c.goalDays !== undefined && c.elapsed !== undefined;
  return (
    <section class="card" aria-labelledby="clock-title">
      <h2 id="clock-title">Review clock</h2>
      <p class="summary" data-testid="clock-state">
        <Badge tone={clockTone(c.state)}>{c.state}</Badge>
        {hasGoal && (
          <span>
            <strong>
              Day {c.elapsed} of {c.goalDays}
            </strong>{' '}
            {dayKind(c.dayKind)} · {c.remaining} remaining
          </span>
        )}
        <span class="muted">
          as of {c.asOf}
          {c.receivedOn ? `; received ${c.receivedOn} (day 0)` : ''}
          {c.goalDueOn ? `; goal due ${c.goalDueOn}` : ''}
        </span>
      </p>
      {(c.holds ?? []).map((h: Json) => (
        <p key={h.request} class="muted">
          Stopped since {h.from} by {h.request} ({h.reason}){h.responseDueOn ? `; answer due ${h.responseDueOn}` : ''}.
        </p>
      ))}
      {c.state === 'no-rule' && (
        <p class="muted">No review-time rule applies to this agency and pathway (a notified body's timeline is a contract term).</p>
      )}
      <Deadlines deadlines={c.deadlines ?? []} party={props.party} />
      {(c.rules ?? []).length > 0 && <Rules rules={c.rules} />}
    </section>
  );
}

// What an event says besides its type and date, as text.
function EventDetails(props: { e: Json; edition: string; headingHref?: (code: string) => string }) {
  const ev = props.e.event ?? {};
  const parts: ComponentChildren[] = [];
  if (props.e.type === 'submitted') parts.push(`${props.e.dossier} version ${props.e.dossierVersion}, ${props.e.pathway}`);
  if (ev.channel) parts.push(`via ${ev.channel}`);
  if (ev.reference) parts.push(`agency reference ${ev.reference}`);
  if (ev.receivedOn) parts.push(`received ${ev.receivedOn}`);
  if (ev.outcome) parts.push(`outcome ${ev.outcome}`);
  if (ev.dueOn) parts.push(`answer due ${ev.dueOn}`);
  if (ev.respondsTo) parts.push(`answers ${ev.respondsTo}`);
  if (ev.dossierVersion) parts.push(`with dossier version ${ev.dossierVersion}`);
  if (ev.reason) parts.push(ev.reason);
  if (props.e.decision) parts.push(`${props.e.decision.outcome ?? ''} ${props.e.decision.number ?? ''}`.trim());
  return (
    <>
      {parts.length > 0 && <div>{parts.join(' · ')}</div>}
      {ev.note && <div class="why">{ev.note}</div>}
      {(ev.reasons ?? []).length > 0 && (
        <ul class="plain">
          {ev.reasons.map((r: string, i: number) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {(ev.deficiencies ?? []).length > 0 && (
        <ol class="plain" aria-label={`Deficiencies in ${props.e.id}`}>
          {ev.deficiencies.map((d: Json) => (
            <li key={d.id}>
              <strong>{d.id}</strong>{' '}
              {props.headingHref ? (
                <Link href={props.headingHref(d.heading)}>
                  {d.heading} {headingTitle(props.edition, d.heading)}
                </Link>
              ) : (
                `${d.heading} ${headingTitle(props.edition, d.heading)}`
              )}
              {d.document && (
                <>
                  {' '}
                  · <Digest value={d.document} />
                </>
              )}
              : {d.text}
            </li>
          ))}
        </ol>
      )}
      {(ev.replies ?? []).length > 0 && (
        <ul class="plain">
          {ev.replies.map((r: Json) => (
            <li key={r.deficiency}>
              <strong>{r.deficiency}</strong>: {r.text}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function LedgerTable(props: { events: Json[]; edition: string; headingHref?: (code: string) => string }) {
  return (
    <section class="card" aria-labelledby="ledger-title">
      <h2 id="ledger-title">Correspondence ledger</h2>
      <div class="table-wrap">
        <table aria-labelledby="ledger-title">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Event</th>
              <th scope="col">By</th>
              <th scope="col">Details</th>
              <th scope="col">Record</th>
            </tr>
          </thead>
          <tbody>
            {props.events.map((e) => (
              <tr key={e.id}>
                <td>{e.occurredOn}</td>
                <td>
                  {EVENT_NAMES[e.type] ?? e.type}
                  {e.open && (
                    <div>
                      <Badge tone="warn">open</Badge>
                    </div>
                  )}
                </td>
                <td>
                  {e.recordedBy}
                  <div class="cite">{e.party}</div>
                </td>
                <td>
                  <EventDetails e={e} edition={props.edition} headingHref={props.headingHref} />
                </td>
                <td>
                  {e.signed ? (
                    <>
                      <Badge tone="ok">signed</Badge>
                      {e.logIndex !== undefined && <div class="cite">log index {e.logIndex}</div>}
                    </>
                  ) : (
                    <span class="muted">exchange record</span>
                  )}
                  {e.recordedAt && (
                    <div class="cite">
                      <Time at={e.recordedAt} />
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// `base` is the submission's path under the signed-in tenant.
export function Correspondence(props: {
  api: ApiClient;
  base: string;
  party: 'manufacturer' | 'agency';
  edition: string;
  query: URLSearchParams;
  headingHref?: (code: string) => string;
}) {
  const asOf = props.query.get('asOf') ?? '';
  const ledger = useLoad(
    () => props.api.get(`${props.base}/ledger${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`),
    [props.base, asOf],
  );
  const l = ledger.data;
  return (
    <div class="stack">
      <div class="inline-form">
        <div>
          <label for="clock-as-of">Read the clock as of</label>
          <input
            id="clock-as-of"
            type="date"
            value={asOf || l?.clock?.asOf || ''}
            onChange={(e) => navigate(withQuery(props.query, { asOf: (e.target as HTMLInputElement).value }))}
          />
        </div>
        {l?.agencyReference && (
          <p class="muted">
            Agency reference <strong>{l.agencyReference}</strong>
          </p>
        )}
      </div>
      <Status of={ledger} what="the ledger and clock" />
      {l?.clock && <ClockCard clock={l.clock} party={props.party} />}
      {l && <LedgerTable events={l.events ?? []} edition={props.edition} headingHref={props.headingHref} />}
    </div>
  );
}
