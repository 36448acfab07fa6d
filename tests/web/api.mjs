// Provisioning through the public HTTP API only, with real Ed25519 keys
// (node:crypto) and DSSE envelopes built as trust/dsse.h specifies, like
// tests/support/harness.cc does for the C++ tests.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

export const digestOf = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export class Api {
  constructor(url, token) {
    this.url = url;
    this.token = token;
  }

  async request(method, path, body, { expect, contentType } = {}) {
    const headers = { Authorization: `Bearer ${this.token}` };
    let payload;
    if (body !== undefined) {
      const raw = Buffer.isBuffer(body) || typeof body === 'string';
      headers['Content-Type'] = contentType ?? (raw ? 'application/octet-stream' : 'application/json');
      payload = raw ? body : JSON.stringify(body);
    }
    const response = await fetch(this.url + path, { method, headers, body: payload });
    const text = await response.text();
    if (expect && !expect.includes(response.status)) {
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    }
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  get(path) {
    return this.request('GET', path, undefined, { expect: [200] }).then((r) => r.json);
  }

  post(path, body, expect = [200, 201]) {
    return this.request('POST', path, body, { expect }).then((r) => r.json);
  }
}

export const pae = (type, payload) =>
  Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);

// A tenant with an ADMIN token and a registered Ed25519 key.
export async function createActor(node, id, kind = 'MANUFACTURER', jurisdiction) {
  const op = new Api(node.url, node.operatorToken);
  await op.post('/v1/tenants', { id, displayName: id, kind, ...(jurisdiction ? { jurisdiction } : {}) });
  const { token } = await op.post(`/v1/tenants/${id}/tokens`, { role: 'ADMIN', label: 'web test' });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const api = new Api(node.url, token);
  const { keyId } = await api.post(`/v1/tenants/${id}/keys`, {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }),
    label: 'release',
  });
  return {
    tenant: id,
    token,
    api,
    privateKey,
    keyId,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
  };
}

export async function uploadBlob(actor, bytes) {
  const digest = digestOf(bytes);
  await actor.api.request('PUT', `/v1/tenants/${actor.tenant}/blobs/${digest}`, Buffer.from(bytes), {
    expect: [200, 201],
  });
  return digest;
}

// Uploads `content` and commits it as version `version` of `object`.
export async function commit(actor, object, version, parentDigest, content, mediaType, message) {
  const bytes = Buffer.from(JSON.stringify(content));
  const contentDigest = await uploadBlob(actor, bytes);
  const statement = Buffer.from(
    JSON.stringify({ tenant: actor.tenant, object, version, parentDigest, contentDigest, mediaType }),
  );
  const type = 'application/vnd.dossier.statement.v1+json';
  const sig = sign(null, pae(type, statement), actor.privateKey);
  const envelope = {
    payloadType: type,
    payload: statement.toString('base64'),
    signatures: [{ keyid: actor.keyId, sig: sig.toString('base64') }],
  };
  // Decisions, ledger events and performance reports are posted to the object's own path.
  const direct = object.startsWith('submissions/') || object.endsWith('/performance-reports');
  const path = `/v1/tenants/${actor.tenant}/${object}${direct ? '' : '/versions'}`;
  await actor.api.post(path, { contentDigest, mediaType, envelope, ...(message ? { message } : {}) }, [201]);
  return contentDigest;
}

// A small valid one-page PDF showing `lines` of text (Helvetica), with a
// correct cross-reference table so that any viewer opens it.
export function makePdf(lines) {
  const escape = (s) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 18 : 12} Tf 72 ${720 - i * 24} Td (${escape(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out);
}
