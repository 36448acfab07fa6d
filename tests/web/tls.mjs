// A throw-away PKI for the mutual-TLS sign-in test, made with Debian's openssl
// command (as tests/security/tls_support.h makes one with the OpenSSL API): a
// CA, a server certificate for IP 127.0.0.1 and two client certificates, EC
// P-256, valid for a day. And one HTTPS request that trusts that CA, for
// provisioning the TLS node through its API.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function openssl(dir, ...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20000 });
}

function issue(dir, name, extensions) {
  openssl(dir, 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '1', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  return { certPath: join(dir, `${name}.pem`), keyPath: join(dir, `${name}.key`), pem: readFileSync(join(dir, `${name}.pem`), 'utf8') };
}

export function makePki() {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-web-pki-'));
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=dossier web test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  return {
    dir,
    caPath: join(dir, 'ca.pem'),
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    server: issue(dir, 'server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'),
    client: issue(dir, 'reviewer', 'extendedKeyUsage=clientAuth\n'),
    stranger: issue(dir, 'stranger', 'extendedKeyUsage=clientAuth\n'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// POST `body` as JSON over HTTPS trusting `ca` only; resolves to [status, parsed body].
export function postJson(url, token, body, ca) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        ca,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        timeout: 10000,
      },
      (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve([res.statusCode, text ? JSON.parse(text) : undefined]));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`POST ${url} timed out`)));
    req.end(payload);
  });
}
