// A version as an agency package, with its loss report: what the target
// format could not carry. The package is built by the server; the page lists
// its files, reads loss.json out of the ZIP and offers the package to save.
import { useEffect, useState } from 'preact/hooks';
import { errorText, type ApiClient, type Json } from '../api';
import { listZip, readZipMember, type ZipMember } from '../zip';
import { Badge } from './common';

const FORMATS: Array<[string, string]> = [
  ['imdrf-toc', 'IMDRF ToC folder structure'],
  ['fda-estar', 'FDA eSTAR package'],
  ['eu-mdr', 'EU MDR technical documentation'],
  ['hsa-csdt', 'HSA CSDT'],
  ['fhir-r5', 'HL7 FHIR R5 Bundle'],
];

interface Built {
  format: string;
  url: string;
  fileName: string;
  size: number;
  lossCount: number;
  loss?: Array<{ path: string; reason: string }>;
  members?: ZipMember[];
}

export function Export(props: { api: ApiClient; exportPath: string; stem: string }) {
  const [format, setFormat] = useState('imdrf-toc');
  const [built, setBuilt] = useState<Built | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => () => built && URL.revokeObjectURL(built.url), [built]);

  const build = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setBuilt(null);
    try {
      const { bytes, headers } = await props.api.download(`${props.exportPath}?format=${encodeURIComponent(format)}`);
      const type = headers.get('content-type') ?? 'application/octet-stream';
      const zip = type.startsWith('application/zip');
      const result: Built = {
        format,
        url: URL.createObjectURL(new Blob([bytes as BlobPart], { type: zip ? 'application/zip' : 'application/octet-stream' })),
        fileName: `${props.stem}-${format}${zip ? '.zip' : '.json'}`,
        size: bytes.length,
        lossCount: Number(headers.get('x-dossier-loss-count') ?? 0),
      };
      if (zip) {
        result.members = listZip(bytes);
        const lossMember = result.members.find((m) => m.name === 'loss.json' || m.name.endsWith('/loss.json'));
        if (lossMember) {
          const report: Json = JSON.parse(new TextDecoder().decode(await readZipMember(bytes, lossMember)));
          result.loss = report.loss ?? [];
        }
      }
      setBuilt(result);
    } catch (err) {
      setError(`The export failed: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <form class="inline-form" onSubmit={build}>
        <div>
          <label for="export-format">Format</label>
          <select id="export-format" value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value)}>
            {FORMATS.map(([id, label]) => (
              <option key={id} value={id}>
                {label} ({id})
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {built && (
        <div class="card stack">
          <p class="summary" role="status">
            {built.lossCount === 0 ? (
              <Badge tone="ok">Nothing lost</Badge>
            ) : (
              <Badge tone="warn">{`${built.lossCount} item${built.lossCount === 1 ? '' : 's'} not carried`}</Badge>
            )}
            <span>
              {built.fileName}, {built.size.toLocaleString('en')} bytes
            </span>
            <a href={built.url} download={built.fileName}>
              Download
            </a>
          </p>
          {built.loss && built.loss.length > 0 && (
            <div class="table-wrap">
              <table>
                <caption class="muted" style={{ textAlign: 'left' }}>
                  Loss report: what {built.format} cannot carry
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {built.loss.map((l, i) => (
                    <tr key={i}>
                      <td>
                        <code>{l.path}</code>
                      </td>
                      <td>{l.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {built.members && (
            <details>
              <summary>{built.members.length} files in the package</summary>
              <ul>
                {built.members.map((m) => (
                  <li key={m.name}>
                    <code>{m.name}</code> <span class="muted">{m.size.toLocaleString('en')} bytes</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </div>
  );
}
