// Small pieces every view uses. Everything renders text through JSX, which
// escapes it: dossier content never becomes markup.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Loaded } from '../hooks';

export function Page(props: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Moving focus to the new page's heading tells keyboard and screen-reader
  // users that the view changed.
  useEffect(() => {
    document.title = `${props.title} · Dossier Exchange`;
    heading.current?.focus();
  }, [props.title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {props.title}
        </h1>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

export function Status<T>(props: { of: Loaded<T>; what: string }) {
  if (props.of.error) {
    return (
      <p class="error" role="alert">
        Could not load {props.what}: {props.of.error}
      </p>
    );
  }
  if (props.of.loading && props.of.data === undefined) {
    return (
      <p class="muted" role="status">
        Loading {props.what}…
      </p>
    );
  }
  return null;
}

export function Badge(props: { tone: 'ok' | 'bad' | 'warn' | 'info'; children: ComponentChildren }) {
  return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}

export function statusTone(status: string): 'ok' | 'bad' | 'warn' | 'info' {
  if (/CLEARED|APPROVED|CERTIFIED|REGISTERED|DECIDED|OK|ACCEPT/.test(status)) return 'ok';
  if (/REFUSED|REJECT|WITHDRAWN|FAIL|ERROR/.test(status)) return 'bad';
  if (/REVIEW|PENDING|RECEIVED|SUBMITTED/.test(status)) return 'warn';
  return 'info';
}

export function Time(props: { at?: string }) {
  if (!props.at) return null;
  return <time dateTime={props.at}>{props.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')}</time>;
}

export function Digest(props: { value?: string }) {
  if (!props.value) return null;
  return (
    <code class="digest" title={props.value}>
      {props.value.slice(0, 19)}…
    </code>
  );
}

// A structured value (a section's data, a device field) as a definition list
// of text; nested objects and arrays are shown as indented lists.
export function Fields(props: { value: unknown }) {
  const v = props.value;
  if (v === null || v === undefined || v === '') return <span class="muted">—</span>;
  if (Array.isArray(v)) {
    if (v.length === 0) return <span class="muted">—</span>;
    return (
      <ul class="fields-list">
        {v.map((item, i) => (
          <li key={i}>
            <Fields value={item} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof v === 'object') {
    return (
      <dl class="fields">
        {Object.entries(v as Record<string, unknown>).map(([k, item]) => (
          <div key={k}>
            <dt>{humanize(k)}</dt>
            <dd>
              <Fields value={item} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span>{String(v)}</span>;
}

export const humanize = (key: string) =>
  key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
