// Byte and key helpers over WebCrypto: base64, SHA-256, DSSE's PAE, PEM, and
// Ed25519 / ECDSA P-256 keys. Everything runs in the page; nothing here sends
// bytes anywhere.

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

// Standard or URL-safe alphabet (DSSE allows both). Throws on bad input.
export function fromBase64(text: string): Uint8Array {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buffer(bytes)));
}

// "sha256:<hex>" of `bytes`, the digest form the API uses.
export async function digestRef(bytes: Uint8Array): Promise<string> {
  return `sha256:${toHex(await sha256(bytes))}`;
}

// DSSE v1 pre-authentication encoding; lengths count bytes.
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  return concat(utf8(`DSSEv1 ${type.length} `), type, utf8(` ${payload.length} `), payload);
}

export function pemToDer(pem: string, label: string): Uint8Array {
  const match = pem.match(new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`));
  if (!match) throw new Error(`not a PEM ${label.toLowerCase()}`);
  return fromBase64(match[1].replace(/\s+/g, ''));
}

// RFC 8410 SubjectPublicKeyInfo of an Ed25519 key: a fixed 12-byte prefix.
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

export interface SigningKey {
  key: CryptoKey; // non-extractable: the private key cannot leave this page
  keyId: string; // hex SHA-256 of the SPKI DER, as the server names keys
  publicKeyPem: string;
}

// Reads a PKCS#8 PEM Ed25519 private key (what `openssl genpkey -algorithm
// ed25519` and `dossier keys create` write). The public half is derived once
// through a short-lived extractable import; the key kept is non-extractable.
export async function importSigningKey(pem: string): Promise<SigningKey> {
  const der = pemToDer(pem, 'PRIVATE KEY');
  let jwk: JsonWebKey;
  try {
    const probe = await crypto.subtle.importKey('pkcs8', buffer(der), { name: 'Ed25519' }, true, ['sign']);
    jwk = await crypto.subtle.exportKey('jwk', probe);
  } catch {
    throw new Error('the file is not an Ed25519 private key in PKCS#8 PEM form');
  }
  const key = await crypto.subtle.importKey('pkcs8', buffer(der), { name: 'Ed25519' }, false, ['sign']);
  const spki = concat(ED25519_SPKI_PREFIX, fromBase64(jwk.x ?? ''));
  const body = toBase64(spki);
  return {
    key,
    keyId: toHex(await sha256(spki)),
    publicKeyPem: `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`,
  };
}

export async function signEd25519(key: CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, buffer(message)));
}

// ECDSA signatures arrive DER-encoded (as OpenSSL writes them); WebCrypto
// wants r||s, each 32 bytes for P-256.
function ecdsaDerToRaw(der: Uint8Array): Uint8Array {
  const fail = () => {
    throw new Error('malformed ECDSA signature');
  };
  if (der[0] !== 0x30) fail();
  let at = 2;
  const out = new Uint8Array(64);
  for (let i = 0; i < 2; ++i) {
    if (der[at] !== 0x02) fail();
    const len = der[at + 1];
    let int = der.slice(at + 2, at + 2 + len);
    while (int.length > 32 && int[0] === 0) int = int.slice(1);
    if (int.length > 32) fail();
    out.set(int, i * 32 + (32 - int.length));
    at += 2 + len;
  }
  return out;
}

// Verifies `signature` over `message` with an SPKI PEM public key (Ed25519 or
// ECDSA P-256 with SHA-256, the two algorithms the server accepts).
export async function verifyWithPem(pem: string, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const spki = pemToDer(pem, 'PUBLIC KEY');
  if (spki.length === 44 && equalBytes(spki.slice(0, 12), ED25519_SPKI_PREFIX)) {
    const key = await crypto.subtle.importKey('spki', buffer(spki), { name: 'Ed25519' }, false, ['verify']);
    return crypto.subtle.verify({ name: 'Ed25519' }, key, buffer(signature), buffer(message));
  }
  const key = await crypto.subtle.importKey('spki', buffer(spki), { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'verify',
  ]);
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    buffer(ecdsaDerToRaw(signature)),
    buffer(message),
  );
}

export async function verifyEd25519Raw(raw: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', buffer(raw), { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, buffer(signature), buffer(message));
}
