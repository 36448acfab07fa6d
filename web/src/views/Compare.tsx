// Section-level comparison of two versions, shown as a redline: the server's
// document-level diff (GET …/diff, the JSON rendering of the redline,
// docs/REDLINE.md) lists per changed heading each document added, removed or
// replaced (matched by file name) and each structured field with its old and
// new value, then the changed top-level fields. The page only lays it out:
// the older version's side struck through, the newer one's marked.
import type { ApiClient, Json } from '../api';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import { compareCodes, headingTitle } from '../toc';
import { Badge, Status } from './common';
import { withQuery } from './Dossier';

const show = (v: unknown) => (v === undefined || v === null ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));

// One change as a row of the two columns: what the older version had (struck
// through) beside what the newer one has (marked); "—" where a side has nothing.
function ChangeRow(props: { old?: string; new?: string; title?: string }) {
  return (
    <div class="diff-cols" title={props.title}>
      {props.old !== undefined ? <span class="del">− {props.old}</span> : <span class="same muted">—</span>}
      {props.new !== undefined ? <span class="ins">+ {props.new}</span> : <span class="same muted">—</span>}
    </div>
  );
}

function DocumentChange(props: { d: Json }) {
  const d = props.d;
  const name = d.fileName || d.title || d.newDigest || d.oldDigest;
  const oldSide = d.change === 'ADDED' ? undefined : d.change === 'CHANGED' ? `${name} (${String(d.oldDigest).slice(7, 19)}…)` : name;
  const newSide = d.change === 'REMOVED' ? undefined : d.change === 'CHANGED' ? `${name} (${String(d.newDigest).slice(7, 19)}…)` : name;
  return <ChangeRow old={oldSide} new={newSide} title={`${d.change}: ${[d.oldDigest, d.newDigest].filter(Boolean).join(' → ')}`} />;
}

function FieldChange(props: { f: Json }) {
  const { f } = props;
  return (
    <div>
      <code>{f.path}</code>
      <ChangeRow old={f.old === null || f.old === undefined ? undefined : show(f.old)} new={f.new === null || f.new === undefined ? undefined : show(f.new)} />
    </div>
  );
}

export function Compare(props: {
  api: ApiClient;
  base: string;
  versions: Json[];
  query: URLSearchParams;
  edition?: string;
}) {
  const numbers = props.versions.map((v) => Number(v.version));
  const head = numbers[numbers.length - 1];
  const to = Number(props.query.get('to') ?? head);
  const from = Number(props.query.get('from') ?? Math.max(1, to - 1));
  const result = useLoad(
    async () => ({ diff: await props.api.get(`${props.base}/diff?from=${from}&to=${to}`) }),
    [props.base, from, to],
  );

  const picker = (id: string, label: string, value: number, key: 'from' | 'to') => (
    <div>
      <label for={id}>{label}</label>
      <select
        id={id}
        value={String(value)}
        onChange={(e) => navigate(withQuery(props.query, { [key]: (e.target as HTMLSelectElement).value }))}
      >
        {numbers.map((n) => (
          <option key={n} value={String(n)}>
            Version {n}
          </option>
        ))}
      </select>
    </div>
  );

  const d = result.data;
  const fields: Json[] = d?.diff.fields ?? [];
  return (
    <div class="stack">
      <div class="inline-form">
        {picker('compare-from', 'From', from, 'from')}
        {picker('compare-to', 'To', to, 'to')}
      </div>
      <Status of={result} what="the comparison" />
      {d && (
        <>
          <p class="summary" role="status">
            <strong>
              {d.diff.sections.length} heading{d.diff.sections.length === 1 ? '' : 's'} changed
            </strong>
            <span class="muted">
              and {fields.length} other field{fields.length === 1 ? '' : 's'}, from version {from} to {to}
            </span>
          </p>
          {d.diff.sections.length + fields.length > 0 && (
            <div class="diff-cols diff-legend" aria-hidden="true">
              <strong>Version {from}</strong>
              <strong>Version {to}</strong>
            </div>
          )}
          {[...d.diff.sections]
            .sort((x: Json, y: Json) => compareCodes(x.code, y.code))
            .map((s: Json) => {
              const tone = s.kind === 'ADDED' ? 'ok' : s.kind === 'REMOVED' ? 'bad' : 'warn';
              const docs: Json[] = s.documents ?? [];
              const data: Json[] = s.dataFields ?? [];
              return (
                <section class="diff-section" key={s.code} aria-label={`Changes in ${s.code}`}>
                  <h3>
                    <span class="toc-code">{s.code}</span> {s.title || headingTitle(props.edition ?? '', s.code)}{' '}
                    <Badge tone={tone}>{s.kind}</Badge>
                  </h3>
                  <p class="muted">
                    {docs.length} document change{docs.length === 1 ? '' : 's'}
                    {data.length ? `, ${data.length} structured field${data.length === 1 ? '' : 's'} changed` : ''}
                  </p>
                  {docs.map((doc, i) => (
                    <DocumentChange key={i} d={doc} />
                  ))}
                  {data.map((f) => (
                    <FieldChange key={f.path} f={f} />
                  ))}
                </section>
              );
            })}
          {fields.length > 0 && (
            <section class="diff-section" aria-label="Other changed fields">
              <h3>Other fields</h3>
              {fields.map((f) => (
                <FieldChange key={f.path} f={f} />
              ))}
            </section>
          )}
        </>
      )}
    </div>
  );
}
