// One ToC heading: its documents (opened inline: PDFs in the browser's viewer,
// text as text, images as images; anything else offered as a download) and
// its structured fields. Each document's bytes are hashed in the page and
// compared with the digest the signed version names before they are shown.
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api';
import { errorText } from '../api';
import { digestRef } from '../crypto';
import type { DocumentRef, TocNode } from '../toc';
import { Badge, Digest, Fields } from './common';

// Types shown inside the page. HTML and SVG never are: a blob: URL carries
// this origin, so their scripts would run as the app.
const INLINE = /^(application\/pdf|text\/plain|text\/csv|image\/(png|jpeg|gif|webp))$/;

interface Opened {
  url: string;
  type: string;
  text?: string;
  verified: boolean;
  name: string;
}

function DocumentViewer(props: { doc: DocumentRef; api: ApiClient; blobPath: (digest: string) => string }) {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => () => opened && URL.revokeObjectURL(opened.url), [opened]);
  const type = (props.doc.mediaType ?? 'application/octet-stream').toLowerCase();
  const name = props.doc.fileName || props.doc.title || props.doc.digest;

  const open = async () => {
    setBusy(true);
    setError('');
    try {
      const bytes = await props.api.bytes(props.blobPath(props.doc.digest));
      const verified = (await digestRef(bytes)) === props.doc.digest;
      const shownType = INLINE.test(type) ? type : 'application/octet-stream';
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: shownType }));
      const text = type.startsWith('text/') ? new TextDecoder().decode(bytes) : undefined;
      setOpened({ url, type: shownType, text, verified, name });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="document">
      <div class="document-head">
        <span class="document-name">{name}</span>
        <span class="muted">{type}</span>
        <Digest value={props.doc.digest} />
        {opened ? (
          <button type="button" onClick={() => setOpened(null)}>
            Close
          </button>
        ) : (
          <button type="button" onClick={open} disabled={busy} aria-label={`Open ${name}`}>
            {busy ? 'Opening…' : 'Open'}
          </button>
        )}
      </div>
      {props.doc.title && props.doc.fileName && <p class="muted">{props.doc.title}</p>}
      {error && (
        <p class="error" role="alert">
          Could not open {name}: {error}
        </p>
      )}
      {opened && (
        <div class="document-view">
          <p>
            {opened.verified ? (
              <Badge tone="ok">Digest verified</Badge>
            ) : (
              <Badge tone="bad">Digest MISMATCH: these bytes are not the signed document</Badge>
            )}{' '}
            <a href={opened.url} download={opened.name}>
              Download
            </a>
          </p>
          {opened.type === 'application/pdf' && (
            <iframe class="pdf" src={opened.url} title={`Document ${opened.name}`} />
          )}
          {opened.text !== undefined && <pre class="text-document">{opened.text}</pre>}
          {opened.type.startsWith('image/') && <img class="image-document" src={opened.url} alt={opened.name} />}
          {opened.type === 'application/octet-stream' && (
            <p class="muted">This type is not shown inside the app; use Download.</p>
          )}
        </div>
      )}
    </li>
  );
}

export function SectionPanel(props: {
  node: TocNode;
  api: ApiClient;
  blobPath: (digest: string) => string;
}) {
  const s = props.node.section;
  return (
    <article class="section-panel" aria-labelledby="section-title">
      <h2 id="section-title">
        <span class="toc-code">{props.node.code}</span> {props.node.title || s?.title}
      </h2>
      {!s && props.node.children.length > 0 && (
        <p class="muted">This heading groups the headings under it; it holds nothing itself.</p>
      )}
      {!s && props.node.children.length === 0 && (
        <p class="muted">Nothing is filed under this heading in this version.</p>
      )}
      {s?.notApplicableJustification && (
        <p>
          <Badge tone="info">Not applicable</Badge> {s.notApplicableJustification}
        </p>
      )}
      {s && (
        <>
          <h3>Documents</h3>
          {s.documents?.length ? (
            <ul class="documents">
              {s.documents.map((d) => (
                <DocumentViewer key={d.digest} doc={d} api={props.api} blobPath={props.blobPath} />
              ))}
            </ul>
          ) : (
            <p class="muted">No documents under this heading.</p>
          )}
          {s.data && Object.keys(s.data).length > 0 && (
            <>
              <h3>Structured fields</h3>
              <Fields value={s.data} />
            </>
          )}
        </>
      )}
    </article>
  );
}
