// A dossier's version history: who signed what and when, where it sits in the
// log, with links to each version and to its comparison with the one before.
import type { Json } from '../api';
import { Link } from '../router';
import { Digest, Time } from './common';
import { withQuery } from './Dossier';

export function History(props: { versions: Json[]; query: URLSearchParams }) {
  const rows = [...props.versions].reverse();
  return (
    <div class="table-wrap card">
      <table>
        <caption class="muted" style={{ textAlign: 'left', padding: '0.5rem 0.75rem' }}>
          {props.versions.length} version{props.versions.length === 1 ? '' : 's'}, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Committed</th>
            <th scope="col">Message</th>
            <th scope="col">Content digest</th>
            <th scope="col">Signer key</th>
            <th scope="col">Log index</th>
            <th scope="col">Compare</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((v) => {
            const n = Number(v.version);
            return (
              <tr key={n}>
                <td>
                  <Link href={withQuery(props.query, { v: String(n), tab: undefined, h: undefined })}>Version {n}</Link>
                </td>
                <td>
                  <Time at={v.createdAt} />
                </td>
                <td>{v.message ?? <span class="muted">—</span>}</td>
                <td>
                  <Digest value={v.digest} />
                </td>
                <td>
                  <code title={v.signerKeyId}>{String(v.signerKeyId ?? '').slice(0, 12)}</code>
                </td>
                <td>{v.logIndex}</td>
                <td>
                  {n > 1 ? (
                    <Link href={withQuery(props.query, { tab: 'compare', from: String(n - 1), to: String(n) })}>
                      {`${n - 1} → ${n}`}
                    </Link>
                  ) : (
                    <span class="muted">first</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
