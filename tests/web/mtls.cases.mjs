// Sign-in with a client certificate (mutual TLS), registered by app.test.mjs:
// a third dossierd serving HTTPS with --client-ca, a throw-away PKI (tls.mjs),
// and Playwright presenting the certificate in the TLS handshake.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDossierd } from './dossierd.mjs';
import { makePki, postJson } from './tls.mjs';

// `h`: the harness of app.test.mjs.
export function registerMutualTlsCase(h) {
  test('sign in with a client certificate on a node serving HTTPS with --client-ca (mutual TLS)', async () => {
    const pki = makePki();
    const node = await startDossierd({
      bin: h.bin,
      webRoot: h.webRoot,
      name: 'mtls',
      extraArgs: ['--tls-cert', pki.server.certPath, '--tls-key', pki.server.keyPath, '--client-ca', pki.caPath],
    });
    try {
      assert.match(node.url, /^https:/);
      const [created] = await postJson(`${node.url}/v1/tenants`, node.operatorToken,
        { id: 'hsa', displayName: 'HSA', kind: 'REGULATOR', jurisdiction: 'SG' }, pki.ca);
      assert.equal(created, 201);
      const [mapped, credential] = await postJson(`${node.url}/v1/tenants/hsa/client-certificates`, node.operatorToken,
        { certificatePem: pki.client.pem, role: 'REVIEWER', label: 'reviewer certificate' }, pki.ca);
      assert.equal(mapped, 201, JSON.stringify(credential));

      // The browser presents the reviewer's certificate in the TLS handshake; the
      // page sends no token at all. (The server's own certificate is from the
      // test CA, which this Chromium profile does not trust: ignoreHTTPSErrors.)
      const withCert = await h.browser.newContext({
        viewport: h.DESKTOP,
        ignoreHTTPSErrors: true,
        clientCertificates: [{ origin: node.url, certPath: pki.client.certPath, keyPath: pki.client.keyPath }],
      });
      const page = await withCert.newPage();
      const authorizations = [];
      page.on('request', (r) => r.headers().authorization && authorizations.push(r.url()));
      await page.goto(`${node.url}/`);
      await page.getByLabel('Tenant').fill('hsa');
      await page.getByLabel('Use my client certificate instead').check();
      assert.ok(await page.getByLabel('Access token').isDisabled());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
      await page.getByText('No submissions addressed to hsa.').waitFor();
      assert.deepEqual(authorizations, [], 'no request carried a token');
      await withCert.close();

      // A certificate from the same CA that no tenant maps is refused, and the page says so.
      const stranger = await h.browser.newContext({
        viewport: h.DESKTOP,
        ignoreHTTPSErrors: true,
        clientCertificates: [{ origin: node.url, certPath: pki.stranger.certPath, keyPath: pki.stranger.keyPath }],
      });
      const refused = await stranger.newPage();
      await refused.goto(`${node.url}/`);
      await refused.getByLabel('Tenant').fill('hsa');
      await refused.getByLabel('Use my client certificate instead').check();
      await refused.getByRole('button', { name: 'Sign in' }).click();
      await refused.getByRole('alert').filter({ hasText: /Sign-in failed: .*\(/ }).waitFor();
      await stranger.close();
    } finally {
      await node.stop();
      pki.remove();
    }
  });
}
