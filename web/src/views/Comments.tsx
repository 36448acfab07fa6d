// Comment threads on the headings (and documents) of a submitted version,
// between the agency's reviewers and the manufacturer: open a thread, reply,
// resolve and reopen. The server keeps them (server/comment_routes.cc) and
// checks headings against the submitted edition and documents against the
// submission. Every message is rendered as text.
import { useState } from 'preact/hooks';
import { errorText, type ApiClient, type Json } from '../api';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { compareCodes, headingTitle, type Section } from '../toc';
import { Badge, Status, Time } from './common';

interface Names {
  edition: string;
  sections: Section[];
}

function documentName(names: Names, digest: string): string {
  for (const s of names.sections) {
    const d = (s.documents ?? []).find((x) => x.digest === digest);
    if (d) return d.fileName || d.title || digest;
  }
  return digest;
}

function Thread(props: {
  api: ApiClient;
  base: string;
  thread: Json;
  names: Names;
  headingHref?: (code: string) => string;
  onChanged: () => void;
}) {
  const t = props.thread;
  const [reply, setReply] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError('');
    try {
      await what();
      setReply('');
      props.onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const threadPath = `${props.base}/comments/${encodeURIComponent(t.id)}`;
  const title = `${t.heading} ${headingTitle(props.names.edition, t.heading)}`;
  const replyId = `reply-${t.id}`;
  return (
    <article class="card thread" aria-label={`Thread on ${t.heading}`} data-thread={t.id}>
      <header class="thread-head">
        <h3>
          {props.headingHref ? <Link href={props.headingHref(t.heading)}>{title}</Link> : title}
        </h3>
        <Badge tone={t.status === 'open' ? 'warn' : 'ok'}>{t.status}</Badge>
      </header>
      <p class="muted">
        {t.document ? `On ${documentName(props.names, t.document)} · ` : ''}opened by {t.openedBy} (
        {t.openedByParty}) <Time at={t.openedAt} />
      </p>
      <ol class="messages">
        {(t.messages ?? []).map((m: Json, i: number) => (
          <li key={m.id ?? i} class={m.party === 'agency' ? 'from-agency' : 'from-manufacturer'}>
            <div class="cite">
              {m.author} ({m.party}) · <Time at={m.at} />
            </div>
            <p class="message-text">{m.text}</p>
          </li>
        ))}
      </ol>
      <label for={replyId}>Reply</label>
      <textarea id={replyId} value={reply} onInput={(e) => setReply((e.target as HTMLTextAreaElement).value)} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={busy || !reply.trim()}
          onClick={() => act(() => props.api.post(`${threadPath}/messages`, { text: reply }))}
        >
          Send reply
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => act(() => props.api.post(`${threadPath}:${t.status === 'open' ? 'resolve' : 'reopen'}`, {}))}
        >
          {t.status === 'open' ? 'Resolve' : 'Reopen'}
        </button>
      </div>
    </article>
  );
}

function NewThread(props: { api: ApiClient; base: string; names: Names; onOpened: () => void }) {
  const sections = [...props.names.sections].sort((a, b) => compareCodes(a.code, b.code));
  const [heading, setHeading] = useState(sections[0]?.code ?? '');
  const [document, setDocument] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const documents = sections.find((s) => s.code === heading)?.documents ?? [];
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await props.api.post(`${props.base}/comments`, { heading, ...(document ? { document } : {}), text });
      setText('');
      props.onOpened();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="new-thread-title">
      <h2 id="new-thread-title">Open a thread</h2>
      <div class="inline-form">
        <div>
          <label for="thread-heading">Heading</label>
          <select
            id="thread-heading"
            value={heading}
            onChange={(e) => {
              setHeading((e.target as HTMLSelectElement).value);
              setDocument('');
            }}
          >
            {sections.map((s) => (
              <option key={s.code} value={s.code}>
                {s.code} {headingTitle(props.names.edition, s.code)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="thread-document">Document (optional)</label>
          <select id="thread-document" value={document} onChange={(e) => setDocument((e.target as HTMLSelectElement).value)}>
            <option value="">The whole heading</option>
            {documents.map((d) => (
              <option key={d.digest} value={d.digest}>
                {d.fileName || d.title || d.digest}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label for="thread-text">Comment</label>
      <textarea id="thread-text" value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !text.trim() || !heading}>
          Open thread
        </button>
      </div>
    </form>
  );
}

// `base` is the submission's path under the signed-in tenant; `sections` the
// submitted version's sections (for heading titles, the heading and document
// choices and file names).
export function Comments(props: {
  api: ApiClient;
  base: string;
  edition: string;
  sections: Section[];
  headingHref?: (code: string) => string;
}) {
  const list = useLoad(() => props.api.get(`${props.base}/comments`), [props.base]);
  const names = { edition: props.edition, sections: props.sections };
  const threads: Json[] = [...(list.data?.threads ?? [])].sort(
    (a, b) => (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) || compareCodes(a.heading, b.heading),
  );
  const open = threads.filter((t) => t.status === 'open').length;
  return (
    <div class="stack">
      <Status of={list} what="the comments" />
      {list.data && (
        <p class="summary" role="status">
          <strong>
            {threads.length} thread{threads.length === 1 ? '' : 's'}
          </strong>
          <span class="muted">{open} open</span>
        </p>
      )}
      {threads.map((t) => (
        <Thread
          key={t.id}
          api={props.api}
          base={props.base}
          thread={t}
          names={names}
          headingHref={props.headingHref}
          onChanged={list.reload}
        />
      ))}
      {props.sections.length > 0 && (
        <NewThread api={props.api} base={props.base} names={names} onOpened={list.reload} />
      )}
    </div>
  );
}
