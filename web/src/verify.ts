// Checks a version's offline verification bundle in the browser, step by step,
// with the same rules as trust/ (bundle.h, log_leaf.h, checkpoint.h, merkle.h):
// the DSSE signature over the statement, the statement naming this version,
// the content bytes hashing to the signed digest, the log leaf, the RFC 6962
// inclusion proof up to the checkpoint's root, and the checkpoint's C2SP
// signed-note signature by the log key. Each step says what it checked or why
// it failed; a failed step does not stop the others from being reported.
import {
  concat,
  digestRef,
  equalBytes,
  fromBase64,
  pae,
  pemToDer,
  sha256,
  toHex,
  utf8,
  verifyEd25519Raw,
  verifyWithPem,
} from './crypto';

export interface Step {
  label: string;
  ok: boolean;
  detail: string;
}

interface LeafJson {
  kind: string;
  tenant: string;
  object: string;
  version: number | string;
  contentDigest: string;
  envelopeDigest: string;
  timestampMs: number | string;
}

export interface BundleJson {
  contentDigest: string;
  mediaType: string;
  envelope: { payloadType: string; payload: string; signatures: Array<{ keyid?: string; sig: string }> };
  signerPublicKeyPem: string;
  signerKeyLeaf: LeafJson;
  signerKeyLogIndex: number | string;
  signerKeyInclusionProof: string[];
  leaf: LeafJson;
  logIndex: number | string;
  inclusionProof: string[];
  checkpoint: string;
}

export interface LogKey {
  noteVerifierKey: string; // "<name>+<8 hex key hash>+<base64(0x01 || raw key)>"
}

// trust/log_leaf.h, version 1: eight lines, each ending in "\n".
export function encodeLeaf(leaf: LeafJson): Uint8Array {
  const lines = [
    'dossier-log-leaf/v1',
    leaf.kind,
    leaf.tenant,
    leaf.object,
    String(leaf.version),
    leaf.contentDigest,
    leaf.envelopeDigest,
    String(leaf.timestampMs),
  ];
  return utf8(lines.map((l) => `${l}\n`).join(''));
}

export const leafHash = async (data: Uint8Array) => sha256(concat(Uint8Array.of(0), data));
const nodeHash = async (left: Uint8Array, right: Uint8Array) => sha256(concat(Uint8Array.of(1), left, right));

// RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the
// proof has the wrong length for (index, size).
export async function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: Uint8Array[],
): Promise<Uint8Array | null> {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
}

// The C2SP signed note: body, a blank line, signature lines "— name base64".
// Returns the checkpoint when a line by `name` with the key hash of `rawKey`
// verifies over the body; throws saying why not.
export async function openCheckpoint(note: string, name: string, rawKey: Uint8Array): Promise<Checkpoint> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint is not a signed note (no blank line before the signatures)');
  const body = note.slice(0, split + 1);
  const expectedHash = (await sha256(concat(utf8(`${name}\n`), Uint8Array.of(1), rawKey))).slice(0, 4);
  let verified = false;
  for (const line of note.slice(split + 2).split('\n')) {
    const m = line.match(/^\u2014 (\S+) (\S+)$/);
    if (!m || m[1] !== name) continue;
    const sig = fromBase64(m[2]);
    if (sig.length !== 68 || !equalBytes(sig.slice(0, 4), expectedHash)) continue;
    if (await verifyEd25519Raw(rawKey, utf8(body), sig.slice(4))) verified = true;
  }
  if (!verified) throw new Error(`no valid signature by the log key "${name}" on the checkpoint`);
  const [origin, size, root] = body.split('\n');
  if (!/^(0|[1-9][0-9]*)$/.test(size ?? '')) throw new Error('the checkpoint has no valid tree size');
  const rootBytes = fromBase64(root ?? '');
  if (rootBytes.length !== 32) throw new Error('the checkpoint has no valid root hash');
  return { origin, size: Number(size), root: rootBytes };
}

// "<name>+<8 hex key hash>+<base64(0x01 || key)>": names hold no '+', but the
// base64 part may, so only the first two separate fields.
export async function parseVerifierKey(vkey: string): Promise<{ name: string; raw: Uint8Array }> {
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first <= 0 || second !== first + 9) throw new Error('the log key is not a note verifier key');
  const name = vkey.slice(0, first);
  const key = fromBase64(vkey.slice(second + 1));
  if (key.length !== 33 || key[0] !== 1) throw new Error('the log key is not an Ed25519 note key');
  const hash = (await sha256(concat(utf8(`${name}\n`), key))).slice(0, 4);
  if (toHex(hash) !== vkey.slice(first + 1, second)) throw new Error("the log key's hash does not match its key");
  return { name, raw: key.slice(1) };
}

// The envelope exactly as trust::SerializeEnvelope writes it (members in this
// order, compact), whose SHA-256 the log leaf records.
function canonicalEnvelope(e: BundleJson['envelope']): string {
  return JSON.stringify({
    payloadType: e.payloadType,
    payload: toStandardBase64(e.payload),
    signatures: e.signatures.map((s) => ({ keyid: s.keyid ?? '', sig: toStandardBase64(s.sig) })),
  });
}

function toStandardBase64(text: string): string {
  const bytes = fromBase64(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export interface Expected {
  tenant: string;
  object: string; // "dossiers/pump-x"
  version: number;
  content: Uint8Array; // the bytes the content route served
}

async function step(label: string, check: () => Promise<string>): Promise<Step> {
  try {
    return { label, ok: true, detail: await check() };
  } catch (e) {
    return { label, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

function require(condition: boolean, why: string): void {
  if (!condition) throw new Error(why);
}

export async function verifyBundle(bundle: BundleJson, logKey: LogKey, expected: Expected): Promise<Step[]> {
  const steps: Step[] = [];
  const payload = fromBase64(bundle.envelope.payload);
  steps.push(
    await step('Signature on the statement', async () => {
      const message = pae(bundle.envelope.payloadType, payload);
      for (const s of bundle.envelope.signatures) {
        if (await verifyWithPem(bundle.signerPublicKeyPem, message, fromBase64(s.sig))) {
          return `DSSE signature verifies with the signer's key ${s.keyid ? s.keyid.slice(0, 16) + '…' : ''}`.trim();
        }
      }
      throw new Error("no signature verifies with the signer's key");
    }),
  );
  steps.push(
    await step('Statement names this version', async () => {
      const st = JSON.parse(new TextDecoder().decode(payload));
      require(st.tenant === expected.tenant, `the statement names tenant "${st.tenant}"`);
      require(st.object === expected.object, `the statement names object "${st.object}"`);
      require(Number(st.version) === expected.version, `the statement names version ${st.version}`);
      require(st.contentDigest === bundle.contentDigest, 'the statement names another content digest');
      return `${st.object} version ${st.version}, ${st.contentDigest.slice(0, 19)}…`;
    }),
  );
  steps.push(
    await step('Content matches the signed digest', async () => {
      const actual = await digestRef(expected.content);
      require(actual === bundle.contentDigest, `the content served hashes to ${actual}`);
      return `SHA-256 of the ${expected.content.length} content bytes is the signed digest`;
    }),
  );
  const leafBytes = encodeLeaf(bundle.leaf);
  steps.push(
    await step('Log entry records this envelope', async () => {
      require(bundle.leaf.contentDigest === bundle.contentDigest, 'the log leaf names another content digest');
      const envelopeDigest = await digestRef(utf8(canonicalEnvelope(bundle.envelope)));
      require(bundle.leaf.envelopeDigest === envelopeDigest, 'the log leaf names another envelope');
      return `leaf ${bundle.logIndex} (${bundle.leaf.kind}, ${new Date(Number(bundle.leaf.timestampMs)).toISOString()})`;
    }),
  );
  let checkpoint: Checkpoint | null = null;
  steps.push(
    await step('Checkpoint signed by the log key', async () => {
      const { name, raw } = await parseVerifierKey(logKey.noteVerifierKey);
      checkpoint = await openCheckpoint(bundle.checkpoint, name, raw);
      require(checkpoint.origin === name, `the checkpoint's origin "${checkpoint.origin}" is not the log's`);
      return `${checkpoint.origin}, tree size ${checkpoint.size}`;
    }),
  );
  steps.push(
    await step('Version is in the log (inclusion proof)', async () => {
      require(checkpoint !== null, 'no verified checkpoint to check against');
      const cp = checkpoint as unknown as Checkpoint;
      const root = await rootFromInclusionProof(
        Number(bundle.logIndex),
        cp.size,
        await leafHash(leafBytes),
        bundle.inclusionProof.map(fromBase64),
      );
      require(root !== null, 'the proof has the wrong shape for this leaf and tree size');
      require(equalBytes(root as Uint8Array, cp.root), "the proof does not lead to the checkpoint's root");
      return `${bundle.inclusionProof.length} hashes lead from leaf ${bundle.logIndex} to the root of ${cp.size} leaves`;
    }),
  );
  steps.push(
    await step("Signer's key registered in the log", async () => {
      require(checkpoint !== null, 'no verified checkpoint to check against');
      const cp = checkpoint as unknown as Checkpoint;
      require(bundle.signerKeyLeaf.kind === 'key-registered', 'the key leaf is not a registration');
      require(bundle.signerKeyLeaf.tenant === expected.tenant, 'the key belongs to another tenant');
      const spkiDigest = await digestRef(pemToDer(bundle.signerPublicKeyPem, 'PUBLIC KEY'));
      require(bundle.signerKeyLeaf.envelopeDigest === spkiDigest, 'the key leaf records another key');
      const root = await rootFromInclusionProof(
        Number(bundle.signerKeyLogIndex),
        cp.size,
        await leafHash(encodeLeaf(bundle.signerKeyLeaf)),
        bundle.signerKeyInclusionProof.map(fromBase64),
      );
      require(root !== null && equalBytes(root, cp.root), "the key's inclusion proof does not lead to the root");
      require(Number(bundle.signerKeyLogIndex) < Number(bundle.logIndex), 'the key was registered after the version');
      return `registered at leaf ${bundle.signerKeyLogIndex}, before the version`;
    }),
  );
  return steps;
}
