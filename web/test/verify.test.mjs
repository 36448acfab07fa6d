// Unit tests of the page's verifier (src/verify.ts) under node's WebCrypto,
// bundled on the fly by esbuild: RFC 6962 inclusion proofs against a tree
// built here independently, C2SP signed notes signed here with node:crypto,
// note verifier keys whose base64 holds '+', and the refusals.
//   node --test web/test/verify.test.mjs   (DOSSIER_WEB_DEPS names node_modules)
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
const deps = process.env.DOSSIER_WEB_DEPS ?? join(here, '..', 'node_modules');
const esbuild = createRequire(join(deps, 'noop.js'))('esbuild');
const bundle = await esbuild.build({
  entryPoints: [join(here, '..', 'src', 'verify.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
});
const verify = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafHash = (data) => sha(Buffer.from([0]), data);
const nodeHash = (l, r) => sha(Buffer.from([1]), l, r);

// RFC 6962 §2.1: the root of leaves[lo, hi) and the inclusion path of m.
function root(leaves) {
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(root(leaves.slice(0, k)), root(leaves.slice(k)));
}
function path(m, leaves) {
  if (leaves.length === 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...path(m, leaves.slice(0, k)), root(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), root(leaves.slice(0, k))];
}

test('inclusion proofs of every leaf of trees of 1 to 17 leaves lead to the root', async () => {
  for (let size = 1; size <= 17; ++size) {
    const leaves = Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
    const expected = root(leaves);
    for (let m = 0; m < size; ++m) {
      const got = await verify.rootFromInclusionProof(m, size, leaves[m], path(m, leaves));
      assert.deepEqual(Buffer.from(got), expected, `leaf ${m} of ${size}`);
    }
  }
});

test('a proof of the wrong length, index or size does not lead to the root', async () => {
  const leaves = Array.from({ length: 11 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const proof = path(5, leaves);
  assert.equal(await verify.rootFromInclusionProof(5, 11, leaves[5], proof.slice(1)), null);
  assert.equal(await verify.rootFromInclusionProof(5, 11, leaves[5], [...proof, proof[0]]), null);
  assert.equal(await verify.rootFromInclusionProof(11, 11, leaves[5], proof), null);
  const other = await verify.rootFromInclusionProof(4, 11, leaves[5], proof);
  assert.notDeepEqual(other && Buffer.from(other), root(leaves));
});

// A log key whose note verifier key's base64 part holds a '+' (the case the
// first version of the parser got wrong), and a note signed with it.
function logKeyWithPlus(name) {
  for (;;) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    const keyPart = Buffer.concat([Buffer.from([1]), raw]).toString('base64');
    if (!keyPart.includes('+')) continue;
    const hash = sha(Buffer.from(`${name}\n`), Buffer.from([1]), raw).subarray(0, 4);
    return { privateKey, raw, hash, vkey: `${name}+${hash.toString('hex')}+${keyPart}` };
  }
}

function signNote(body, name, key) {
  const sig = sign(null, Buffer.from(body), key.privateKey);
  return `${body}\n\u2014 ${name} ${Buffer.concat([key.hash, sig]).toString('base64')}\n`;
}

test('checkpoints signed by the log key open; others are refused with a reason', async () => {
  const name = 'dossier-exchange/0123456789abcdef';
  const key = logKeyWithPlus(name);
  const parsed = await verify.parseVerifierKey(key.vkey);
  assert.equal(parsed.name, name);
  assert.deepEqual(Buffer.from(parsed.raw), key.raw);
  const rootHash = sha(Buffer.from('root'));
  const body = `${name}\n42\n${rootHash.toString('base64')}\n`;
  const cp = await verify.openCheckpoint(signNote(body, name, key), name, parsed.raw);
  assert.equal(cp.origin, name);
  assert.equal(cp.size, 42);
  assert.deepEqual(Buffer.from(cp.root), rootHash);

  const tampered = signNote(body, name, key).replace('\n42\n', '\n43\n');
  await assert.rejects(verify.openCheckpoint(tampered, name, parsed.raw), /no valid signature/);
  const stranger = logKeyWithPlus(name);
  await assert.rejects(verify.openCheckpoint(signNote(body, name, stranger), name, parsed.raw), /no valid signature/);
  await assert.rejects(verify.parseVerifierKey(key.vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')), /hash does not match/);
  await assert.rejects(verify.parseVerifierKey('no-plus-here'), /not a note verifier key/);
});

test('log leaves encode as trust/log_leaf.h specifies', () => {
  const text = Buffer.from(
    verify.encodeLeaf({
      kind: 'version',
      tenant: 'acme',
      object: 'dossiers/pump-x',
      version: 2,
      contentDigest: 'sha256:ab',
      envelopeDigest: 'sha256:cd',
      timestampMs: '1700000000000',
    }),
  ).toString();
  assert.equal(text, 'dossier-log-leaf/v1\nversion\nacme\ndossiers/pump-x\n2\nsha256:ab\nsha256:cd\n1700000000000\n');
});
