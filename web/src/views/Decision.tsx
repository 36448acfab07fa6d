// The reviewer's decision, signed in this page: the reviewer picks their
// PKCS#8 Ed25519 key file, which is read into a non-extractable WebCrypto key
// and never sent anywhere; the page builds the decision (with each reviewed
// heading's digest from the inbox record), uploads it, signs the DSSE
// statement (trust/dsse.h, trust/statement.h) and posts the envelope, which
// the server verifies against the keys registered for this tenant.
import { useState } from 'preact/hooks';
import { errorText, path, type ApiClient, type Json } from '../api';
import { digestRef, pae, signEd25519, toBase64, utf8, importSigningKey, type SigningKey } from '../crypto';
import { compareCodes, headingTitle } from '../toc';
import { Badge } from './common';

const OUTCOMES = ['CLEARED', 'APPROVED', 'CERTIFIED', 'REGISTERED', 'REFUSED'];
const SECTION_OUTCOMES = ['ACCEPTABLE', 'DEFICIENT', 'NOT_REVIEWED'];
const STATEMENT_TYPE = 'application/vnd.dossier.statement.v1+json';
const DECISION_TYPE = 'application/vnd.dossier.decision.v1+json';

interface Row {
  code: string;
  digest: string;
  outcome: string;
  notes: string;
}

export function DecisionForm(props: {
  api: ApiClient;
  tenant: string;
  submission: Json;
  edition: string;
  previous: Json[]; // decisions already recorded, oldest first
  onDecided: () => void;
}) {
  const s = props.submission;
  const [key, setKey] = useState<SigningKey | null>(null);
  const [keyNote, setKeyNote] = useState('');
  const [outcome, setOutcome] = useState('CLEARED');
  const [number, setNumber] = useState('');
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [summary, setSummary] = useState('');
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries((s.sectionDigests ?? {}) as Record<string, string>)
      .sort(([a], [b]) => compareCodes(a, b))
      .map(([code, digest]) => ({ code, digest, outcome: 'ACCEPTABLE', notes: '' })),
  );
  const [error, setError] = useState('');
  const [done, setDone] = useState<Json | null>(null);
  const [busy, setBusy] = useState(false);

  const pickKey = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    setKey(null);
    setKeyNote('');
    setError('');
    const file = input.files?.[0];
    if (!file) return;
    try {
      const signing = await importSigningKey(await file.text());
      const keys = await props.api.get(path`/v1/tenants/${props.tenant}/keys`);
      const registered = (keys.keys ?? []).find((k: Json) => k.keyId === signing.keyId);
      setKey(signing);
      setKeyNote(
        registered
          ? registered.revokedAt
            ? `Key ${signing.keyId.slice(0, 16)}… is registered but revoked: the server will refuse it.`
            : `Key ${signing.keyId.slice(0, 16)}… is registered for ${props.tenant}${registered.label ? ` (${registered.label})` : ''}.`
          : `Key ${signing.keyId.slice(0, 16)}… is not registered for ${props.tenant}: the server will refuse the signature.`,
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      input.value = ''; // the file's text is not kept; the key lives only in `key`
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!key) {
      setError('Choose your private key file first.');
      return;
    }
    if (!number.trim()) {
      setError('Enter the decision number.');
      return;
    }
    setBusy(true);
    try {
      const decision = {
        submission: s.id,
        outcome,
        number: number.trim(),
        date,
        ...(summary.trim() ? { summary: summary.trim() } : {}),
        ...(props.edition ? { tocEdition: props.edition } : {}),
        sections: rows.map((r) => ({ code: r.code, outcome: r.outcome, notes: r.notes, digest: r.digest })),
      };
      const content = utf8(JSON.stringify(decision));
      const contentDigest = await digestRef(content);
      // Through the submission's own upload route, which a REVIEWER token may
      // use for a decision on a submission this tenant received
      // (server/submission_blob_routes.cc); the general blob upload is EDITOR-level.
      await props.api.put(
        path`/v1/tenants/${props.tenant}/submissions/${s.id}/blobs/${contentDigest}`,
        content,
        'application/octet-stream',
      );
      const last = props.previous[props.previous.length - 1];
      const statement = utf8(
        JSON.stringify({
          tenant: props.tenant,
          object: `submissions/${s.id}/decisions`,
          version: props.previous.length + 1,
          parentDigest: last?.digest ?? '',
          contentDigest,
          mediaType: DECISION_TYPE,
        }),
      );
      const sig = await signEd25519(key.key, pae(STATEMENT_TYPE, statement));
      const envelope = {
        payloadType: STATEMENT_TYPE,
        payload: toBase64(statement),
        signatures: [{ keyid: key.keyId, sig: toBase64(sig) }],
      };
      const receipt = await props.api.post(path`/v1/tenants/${props.tenant}/submissions/${s.id}/decisions`, {
        contentDigest,
        mediaType: DECISION_TYPE,
        envelope,
      });
      setDone(receipt);
      props.onDecided();
    } catch (err) {
      setError(`The decision was not recorded: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const update = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  return (
    <form class="card stack" onSubmit={submit} aria-labelledby="decision-title">
      <h2 id="decision-title">Record a signed decision</h2>
      <p class="muted">
        Your private key is read in this page only: it is never uploaded, and it is forgotten when you leave the page.
      </p>
      <div>
        <label for="decision-key">Private key file (PKCS#8 PEM, Ed25519)</label>
        <input id="decision-key" type="file" accept=".pem,.key,application/x-pem-file,text/plain" onChange={pickKey} />
        {keyNote && (
          <p role="status" data-testid="key-note">
            {keyNote}
          </p>
        )}
      </div>
      <div class="inline-form">
        <div>
          <label for="decision-outcome">Outcome</label>
          <select id="decision-outcome" value={outcome} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}>
            {OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="decision-number">Decision number</label>
          <input id="decision-number" value={number} onInput={(e) => setNumber((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="decision-date">Date</label>
          <input id="decision-date" type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <div>
        <label for="decision-summary">Summary</label>
        <textarea id="decision-summary" value={summary} onInput={(e) => setSummary((e.target as HTMLTextAreaElement).value)} />
      </div>
      <div class="table-wrap">
        <table class="section-rows">
          <caption class="muted" style={{ textAlign: 'left' }}>
            Review report: one row per heading of the submitted version
          </caption>
          <thead>
            <tr>
              <th scope="col">Heading</th>
              <th scope="col">Outcome</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.code}>
                <th scope="row">
                  <span class="toc-code">{r.code}</span> {headingTitle(props.edition, r.code)}
                </th>
                <td>
                  <select
                    aria-label={`Outcome for ${r.code}`}
                    value={r.outcome}
                    onChange={(e) => update(i, { outcome: (e.target as HTMLSelectElement).value })}
                  >
                    {SECTION_OUTCOMES.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`Notes for ${r.code}`}
                    value={r.notes}
                    onInput={(e) => update(i, { notes: (e.target as HTMLInputElement).value })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p role="status" data-testid="decision-recorded">
          <Badge tone="ok">Recorded</Badge> Version {done.version} of the decision, signature accepted, log index{' '}
          {done.receipt?.logIndex ?? done.logIndex}.
        </p>
      )}
      <div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing…' : 'Sign and record decision'}
        </button>
      </div>
    </form>
  );
}
