// Section-level comparison of two versions (the server's diff route), shown
// as a redline: per changed heading, the documents and structured fields of
// the older version beside the newer, removals struck through, additions
// marked; then the changed top-level fields with both values.
import type { ApiClient, Json } from '../api';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import { compareCodes, headingTitle, type Section } from '../toc';
import { Badge, Status } from './common';
import { withQuery } from './Dossier';

// "device.identifiers[0].value" -> the value in `root`, or undefined.
function valueAt(root: unknown, fieldPath: string): unknown {
  let at: unknown = root;
  for (const part of fieldPath.split(/\.|(?=\[)/)) {
    if (at === null || at === undefined) return undefined;
    const index = part.match(/^\[(\d+)\]$/);
    at = index ? (at as unknown[])[Number(index[1])] : (at as Record<string, unknown>)[part];
  }
  return at;
}

const show = (v: unknown) => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));

// Leaf values of a JSON value by path, for a line-by-line field comparison.
function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flatten(v, Array.isArray(value) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (value !== undefined) {
    out.set(prefix, show(value));
  }
  return out;
}

function SectionSide(props: { section?: Section; other?: Section; mark: 'del' | 'ins'; label: string }) {
  const otherDigests = new Set((props.other?.documents ?? []).map((d) => d.digest));
  const docs = props.section?.documents ?? [];
  const fields = flatten(props.section?.data ?? {});
  const otherFields = flatten(props.other?.data ?? {});
  return (
    <div>
      <h4>{props.label}</h4>
      {!props.section && <p class="muted">(heading absent)</p>}
      {docs.map((d) => (
        <span key={d.digest} class={otherDigests.has(d.digest) ? 'same' : props.mark}>
          {otherDigests.has(d.digest) ? '' : props.mark === 'del' ? '− ' : '+ '}
          {d.fileName || d.title || d.digest}
        </span>
      ))}
      {[...fields.entries()].map(([k, v]) => (
        <span key={k} class={otherFields.get(k) === v ? 'same' : props.mark}>
          {k}: {v}
        </span>
      ))}
    </div>
  );
}

export function Compare(props: { api: ApiClient; base: string; versions: Json[]; query: URLSearchParams }) {
  const numbers = props.versions.map((v) => Number(v.version));
  const head = numbers[numbers.length - 1];
  const to = Number(props.query.get('to') ?? head);
  const from = Number(props.query.get('from') ?? Math.max(1, to - 1));
  const result = useLoad(async () => {
    const [diff, a, b] = await Promise.all([
      props.api.get(`${props.base}/diff?from=${from}&to=${to}`),
      props.api.get(`${props.base}/versions/${from}`),
      props.api.get(`${props.base}/versions/${to}`),
    ]);
    return { diff, a: a.content, b: b.content };
  }, [props.base, from, to]);

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
  const bySection = (content: Json) => new Map<string, Section>((content?.sections ?? []).map((s: Section) => [s.code, s]));
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
              and {d.diff.changedFields.length} other field{d.diff.changedFields.length === 1 ? '' : 's'}, from version{' '}
              {from} to {to}
            </span>
          </p>
          {[...d.diff.sections]
            .sort((x: Json, y: Json) => compareCodes(x.code, y.code))
            .map((s: Json) => {
              const a = bySection(d.a).get(s.code);
              const b = bySection(d.b).get(s.code);
              const tone = s.kind === 'ADDED' ? 'ok' : s.kind === 'REMOVED' ? 'bad' : 'warn';
              return (
                <section class="diff-section" key={s.code} aria-label={`Changes in ${s.code}`}>
                  <h3>
                    <span class="toc-code">{s.code}</span> {headingTitle(d.b?.tocEdition ?? d.a?.tocEdition, s.code)}{' '}
                    <Badge tone={tone}>{s.kind}</Badge>
                  </h3>
                  <p class="muted">
                    {s.documentsAdded.length} document(s) added, {s.documentsRemoved.length} removed
                    {s.dataChanged ? '; structured fields changed' : ''}
                  </p>
                  <div class="diff-cols">
                    <SectionSide section={a} other={b} mark="del" label={`Version ${from}`} />
                    <SectionSide section={b} other={a} mark="ins" label={`Version ${to}`} />
                  </div>
                </section>
              );
            })}
          {d.diff.changedFields.length > 0 && (
            <section class="diff-section" aria-label="Other changed fields">
              <h3>Other fields</h3>
              {d.diff.changedFields.map((f: string) => (
                <div key={f}>
                  <code>{f}</code>
                  <div class="diff-cols">
                    <span class="del">{show(valueAt(d.a, f))}</span>
                    <span class="ins">{show(valueAt(d.b, f))}</span>
                  </div>
                </div>
              ))}
            </section>
          )}
        </>
      )}
    </div>
  );
}
