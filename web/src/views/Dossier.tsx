// A manufacturer's dossier: its versions, and for the chosen version the ToC
// with documents, the history, a section-level comparison with another
// version, readiness per agency and pathway, and the in-browser verification
// of the version's log entry. The view's state lives in the URL query
// (?v=2&tab=compare&from=1&to=2), so every view can be linked to.
import { path, type Json } from '../api';
import { useLoad } from '../hooks';
import { Link, navigate } from '../router';
import type { Session } from '../session';
import type { DossierContent } from './Browser';
import { DossierBrowser } from './Browser';
import { Export } from './Export';
import { Page, Status } from './common';
import { Compare } from './Compare';
import { History } from './History';
import { Readiness } from './Readiness';
import { Verify } from './Verify';

const TABS = [
  ['contents', 'Contents'],
  ['history', 'History'],
  ['compare', 'Compare versions'],
  ['readiness', 'Readiness'],
  ['export', 'Export'],
  ['verify', 'Verify'],
] as const;

export function withQuery(query: URLSearchParams, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  const text = next.toString();
  return `${location.pathname}${text ? `?${text}` : ''}`;
}

export function DossierPage(props: { session: Session; dossier: string; query: URLSearchParams }) {
  const { api, tenant } = props.session;
  const base = path`/v1/tenants/${tenant.id}/dossiers/${props.dossier}`;
  const versions = useLoad<Json[]>(
    async () => (await api.all(`${base}/versions`, 'versions')).sort((a, b) => Number(a.version) - Number(b.version)),
    [base],
  );
  const head = versions.data?.length ? Number(versions.data[versions.data.length - 1].version) : 0;
  const chosen = Number(props.query.get('v') ?? head) || head;
  const tab = props.query.get('tab') ?? 'contents';
  const version = useLoad<Json>(
    async () => (chosen ? api.get(`${base}/versions/${chosen}`) : null),
    [base, chosen],
  );
  const content: DossierContent | undefined = version.data?.content;
  const tradeName = content?.device?.tradeName;

  return (
    <Page title={tradeName ? `${tradeName} (${props.dossier})` : `Dossier ${props.dossier}`}>
      <Status of={versions} what="the versions" />
      {versions.data && versions.data.length === 0 && <p class="muted">No version has been committed yet.</p>}
      {head > 0 && (
        <>
          <div class="inline-form" style={{ marginBottom: '0.75rem' }}>
            <div>
              <label for="version-select">Version</label>
              <select
                id="version-select"
                value={String(chosen)}
                onChange={(e) => navigate(withQuery(props.query, { v: (e.target as HTMLSelectElement).value, h: undefined }))}
              >
                {[...(versions.data ?? [])].reverse().map((v) => (
                  <option key={v.version} value={String(v.version)}>
                    Version {v.version}
                    {Number(v.version) === head ? ' (latest)' : ''}
                    {v.message ? ` — ${v.message}` : ''}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <nav aria-label="Dossier views">
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
          <Status of={version} what={`version ${chosen}`} />
          {tab === 'contents' && content && (
            <DossierBrowser
              content={content}
              heading={props.query.get('h') ?? undefined}
              onSelect={(code) => navigate(withQuery(props.query, { h: code }))}
              api={api}
              blobPath={(digest) => path`/v1/tenants/${tenant.id}/blobs/${digest}`}
            />
          )}
          {tab === 'history' && versions.data && (
            <History versions={versions.data} query={props.query} />
          )}
          {tab === 'compare' && versions.data && (
            <Compare api={api} base={base} versions={versions.data} query={props.query} edition={content?.tocEdition} />
          )}
          {tab === 'readiness' && (
            <Readiness
              api={api}
              readinessPath={`${base}/versions/${chosen}/readiness`}
              query={props.query}
              headingHref={(code) => withQuery(props.query, { tab: undefined, h: code })}
            />
          )}
          {tab === 'export' && (
            <Export api={api} exportPath={`${base}/versions/${chosen}/export`} stem={`${props.dossier}-v${chosen}`} />
          )}
          {tab === 'verify' && version.data && (
            <Verify
              api={api}
              bundlePath={`${base}/versions/${chosen}/bundle`}
              contentPath={`${base}/versions/${chosen}/content`}
              tenant={tenant.id}
              object={`dossiers/${props.dossier}`}
              version={chosen}
            />
          )}
        </>
      )}
    </Page>
  );
}
