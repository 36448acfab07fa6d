// "Is this version really in the log?", answered by this page itself: it
// fetches the version's bundle, its content bytes and the log's key, and runs
// every check in the browser with WebCrypto (src/verify.ts). It says which
// key it trusted: the one this node publishes, shown with its fingerprint so
// that it can be compared with one obtained another way.
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api';
import { useLoad } from '../hooks';
import { verifyBundle, type Step } from '../verify';
import { Badge, Status } from './common';

export function Verify(props: {
  api: ApiClient;
  bundlePath: string;
  contentPath: string;
  tenant: string;
  object: string;
  version: number;
}) {
  const [run, setRun] = useState(0);
  const result = useLoad(async () => {
    const [bundle, logKey, content] = await Promise.all([
      props.api.get(props.bundlePath),
      props.api.get('/v1/log/public-key'),
      props.api.bytes(props.contentPath),
    ]);
    const steps: Step[] = await verifyBundle(bundle, logKey, {
      tenant: props.tenant,
      object: props.object,
      version: props.version,
      content,
    });
    return { steps, logKey };
  }, [props.bundlePath, run]);
  const steps = result.data?.steps;
  const allOk = steps?.every((s) => s.ok);
  return (
    <div class="card stack">
      <p>
        This page checks, in your browser, that version {props.version} is signed, unchanged and recorded in the node's
        transparency log.
      </p>
      <Status of={result} what="the verification bundle" />
      {steps && (
        <>
          <p class={`verdict ${allOk ? 'ok' : 'bad'}`} role="status" data-testid="verify-verdict">
            {allOk
              ? `Verified: version ${props.version} is in the log under a checkpoint signed by the log key.`
              : `Not verified: ${steps.filter((s) => !s.ok).map((s) => s.label.toLowerCase()).join('; ')} failed.`}
          </p>
          <ul class="checklist" aria-label="Verification steps">
            {steps.map((s) => (
              <li key={s.label}>
                <div>{s.ok ? <Badge tone="ok">✓ passed</Badge> : <Badge tone="bad">✗ failed</Badge>}</div>
                <div>
                  <strong>{s.label}</strong>
                  <div class="why">{s.detail}</div>
                </div>
              </li>
            ))}
          </ul>
          <p class="cite">
            Log key trusted: {result.data?.logKey.keyName}, key id <code>{result.data?.logKey.keyId}</code> (as published
            by this node at /v1/log/public-key; compare it with the key your organisation pinned).
          </p>
        </>
      )}
      <div>
        <button type="button" onClick={() => setRun((r) => r + 1)}>
          Verify again
        </button>
      </div>
    </div>
  );
}
