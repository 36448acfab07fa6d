// Readiness for one agency and pathway as a checklist: each requirement with
// its status, citation (source, section, binding level, whether the citation
// was verified) and a link to the ToC heading it concerns.
import type { ApiClient, Json } from '../api';
import { useLoad } from '../hooks';
import { Link, navigate } from '../router';
import { Badge, Status } from './common';
import { withQuery } from './Dossier';

// schema/translate/readiness_routes.h lists these.
export const PATHWAYS: Record<string, string[]> = {
  FDA: ['510k-traditional', '510k-special', '510k-abbreviated', 'de-novo', 'pma', 'pma-supplement'],
  EU: ['class-i-self', 'annex-ix', 'annex-x-xi', 'annex-xi'],
  HSA: ['full', 'abridged', 'expedited', 'immediate'],
};

export function ReadinessReport(props: { report: Json; headingHref: (code: string) => string }) {
  const r = props.report;
  return (
    <div class="card">
      <div class="summary" role="status">
        <span class={`verdict ${r.ready ? 'ok' : 'bad'}`}>
          {r.ready ? 'Ready' : `Not ready: ${r.missingCount} required item${r.missingCount === 1 ? '' : 's'} missing`}
        </span>
        <span class="muted">
          {r.agency} · {r.pathway} · {r.edition} · rules as of {r.asOf}
          {r.advisoryMissingCount ? ` · ${r.advisoryMissingCount} advisory item(s) missing` : ''}
        </span>
      </div>
      <ul class="checklist" aria-label={`Readiness checklist for ${r.agency} ${r.pathway}`}>
        {r.items.map((item: Json) => (
          <li key={item.id}>
            <div>
              {item.status === 'present' ? (
                <Badge tone="ok">✓ present</Badge>
              ) : item.status === 'missing' ? (
                <Badge tone={item.advisory ? 'warn' : 'bad'}>✗ missing</Badge>
              ) : (
                <Badge tone="info">{item.status}</Badge>
              )}
            </div>
            <div>
              <strong>{item.title}</strong> {item.advisory && <Badge tone="info">advisory</Badge>}
              {item.detail && <div class="why">{item.detail}</div>}
              <div class="cite">
                {item.citation} — {item.binding}
                {item.effective ? `, effective ${item.effective}` : ''}
                {item.verified ? ' · citation verified' : ' · citation unverified'}
              </div>
              {item.tocCode && (
                <div>
                  <Link href={props.headingHref(item.tocCode)}>Go to heading {item.tocCode}</Link>
                </div>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Readiness(props: {
  api: ApiClient;
  readinessPath: string;
  query: URLSearchParams;
  headingHref: (code: string) => string;
}) {
  const agency = props.query.get('agency') ?? 'FDA';
  const pathway = props.query.get('pathway') ?? '';
  const report = useLoad(
    () =>
      props.api.get(
        `${props.readinessPath}?agency=${encodeURIComponent(agency)}${pathway ? `&pathway=${encodeURIComponent(pathway)}` : ''}`,
      ),
    [props.readinessPath, agency, pathway],
  );
  return (
    <div class="stack">
      <div class="inline-form">
        <div>
          <label for="readiness-agency">Agency</label>
          <select
            id="readiness-agency"
            value={agency}
            onChange={(e) =>
              navigate(withQuery(props.query, { agency: (e.target as HTMLSelectElement).value, pathway: undefined }))
            }
          >
            {Object.keys(PATHWAYS).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="readiness-pathway">Pathway</label>
          <select
            id="readiness-pathway"
            value={pathway}
            onChange={(e) => navigate(withQuery(props.query, { pathway: (e.target as HTMLSelectElement).value }))}
          >
            <option value="">As the dossier suggests</option>
            {(PATHWAYS[agency] ?? []).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Status of={report} what="the readiness report" />
      {report.data && <ReadinessReport report={report.data} headingHref={props.headingHref} />}
    </div>
  );
}
