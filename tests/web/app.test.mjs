// The web app in a real Chromium against two real dossierd nodes on
// 127.0.0.1: sign in; open a dossier; walk its ToC with the keyboard; open a
// PDF; compare two versions; read readiness; verify a version's log entry in
// the browser (and see a tampered proof refused); a reviewer signs a decision
// in the browser and the server accepts it; the reliance view on the second
// node; dossier content holding markup stays text; the strict CSP; axe-core
// finds no serious violation; the layout at 1280x800 and at a phone's width.
// Screenshots of the main screens go to $DOSSIER_SCREENSHOTS (docs/images/
// holds the committed copies).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Api } from './api.mjs';
import { axe, launch } from './browser.mjs';
import { startDossierd } from './dossierd.mjs';
import { seed, XSS_FILE, XSS_NAME } from './seed.mjs';
import { makePki, postJson } from './tls.mjs';
import { dayFromToday, seedFollowup, XSS_COMMENT } from './seed_followup.mjs';

const bin = join(process.env.DOSSIER_BIN_DIR, 'dossierd');
const webRoot = process.env.DOSSIER_WEB_ROOT;
const shots = process.env.DOSSIER_SCREENSHOTS || join(process.env.DOSSIER_BIN_DIR, '..', 'web-screenshots');
const DESKTOP = { width: 1280, height: 800 };

let us, sg, world, browser, keyDir;
const axeFindings = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  [us, sg] = await Promise.all([
    startDossierd({ bin, webRoot, name: 'us' }),
    startDossierd({ bin, webRoot, name: 'sg' }),
  ]);
  world = await seed(us, sg);
  world.followup = await seedFollowup(world);
  keyDir = mkdtempSync(join(tmpdir(), 'dossier-web-key-'));
  writeFileSync(join(keyDir, 'fda-reviewer.pem'), world.fda.privateKeyPem, { mode: 0o600 });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await Promise.all([us?.stop(), sg?.stop()]);
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

// A fresh browser context (no shared state) whose page fails the test on
// any script error, dialog or network request that leaves 127.0.0.1.
async function newPage(viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const url = new URL(r.url());
    // The browser's own PDF viewer loads from chrome:// and chrome-extension://;
    // anything over the network must stay on 127.0.0.1.
    if (/^(https?|wss?):$/.test(url.protocol) && url.hostname !== '127.0.0.1') problems.push(`request to ${r.url()}`);
  });
  page.problems = problems;
  return page;
}

async function signIn(page, node, tenant, token) {
  await page.goto(`${node.url}/`);
  await page.getByLabel('Tenant').fill(tenant);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function shot(page, name, fullPage = false) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

async function checkAxe(page, screen) {
  const violations = await axe(page);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeFindings.push({ screen, violations });
  assert.deepEqual(serious, [], `axe on ${screen}: ${JSON.stringify(serious, null, 1)}`);
}

function done(page) {
  assert.deepEqual(page.problems, []);
  return page.context().close();
}

test('the server answers the app with a strict CSP and keeps the API as it was', async () => {
  const index = await fetch(`${us.url}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  const csp = index.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  const html = await index.text();
  assert.doesNotMatch(html, /<script>(?!<\/script>)|<script [^>]*>[^<]/, 'no inline script in index.html');
  const deep = await fetch(`${us.url}/dossiers/thorax?tab=history`);
  assert.equal(deep.status, 200, 'an app route answers index.html');
  assert.equal(await deep.text(), html);
  const js = await fetch(`${us.url}/app.js`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.equal((await fetch(`${us.url}/nope.js`)).status, 404);
  const api404 = await fetch(`${us.url}/v1/no-such-route`);
  assert.equal(api404.status, 404);
  assert.match(api404.headers.get('content-type'), /problem\+json/);
  const openapi = await fetch(`${us.url}/openapi.json`);
  assert.match(openapi.headers.get('content-type'), /json/);
  assert.ok((await openapi.json()).paths['/v1/log/checkpoint']);
});

test('sign in: a wrong token is refused with a reason, the right one opens the dossiers', async () => {
  const page = await newPage();
  await page.goto(`${us.url}/`);
  await checkAxe(page, 'sign-in');
  await shot(page, 'sign-in');
  await signIn(page, us, 'acme', 'dxt_wrong');
  await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
  await page.getByLabel('Access token').fill(world.acme.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dossiers', level: 1 }).waitFor();
  // The heading renders before the list's fetch answers: wait for the list, then count.
  await page.getByRole('link', { name: 'thorax', exact: true }).first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'thorax', exact: true }).count(), 1);
  // The token is held in memory only.
  const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie, location.href]);
  assert.deepEqual(stored.slice(0, 3), [0, 0, '']);
  assert.doesNotMatch(stored[3], /dxt_/);
  await checkAxe(page, 'dossiers');
  await done(page);
});

test('sign in with a client certificate on a node serving HTTPS with --client-ca (mutual TLS)', async () => {
  const pki = makePki();
  const node = await startDossierd({
    bin,
    webRoot,
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
    const withCert = await browser.newContext({
      viewport: DESKTOP,
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
    const stranger = await browser.newContext({
      viewport: DESKTOP,
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

test('open a dossier, walk its ToC with the keyboard, open a PDF inline', async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'thorax', exact: true }).click();
  await page.getByRole('heading', { name: 'ThoraxTriage (thorax)' }).waitFor();
  await page.getByRole('heading', { name: 'Device and structured fields' }).waitFor();
  const tree = page.getByRole('tree', { name: 'Table of Contents' });
  // One tab stop: focus lands on the first heading; arrows walk the tree.
  await tree.getByRole('treeitem').first().focus();
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-code'));
  assert.equal(await focused(), '1');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), '1.04');
  await page.keyboard.press('End');
  assert.equal(await focused(), '6A.04');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focused(), '6A');
  await page.keyboard.press('ArrowLeft'); // closes 6A
  assert.equal(await page.locator('[data-code="6A"]').getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('ArrowRight'); // opens it again
  await page.keyboard.press('Home');
  for (const expected of ['1.04', '2', '2.04', '2.04.01']) {
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), expected);
  }
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /2\.04\.01/, level: 2 }).waitFor();
  assert.match(page.url(), /h=2\.04\.01/);
  await page.getByText('Convolutional network scores chest radiographs').waitFor();

  // Walk on to the software V&V heading and open its report.
  await tree.locator('[data-code="3.05.05.08"] > .toc-row').click();
  await page.getByRole('heading', { name: /Software Verification and Validation/i, level: 2 }).waitFor();
  await checkAxe(page, 'dossier-contents');
  // The page fetches the document with the token and frames it as a blob: URL.
  const download = page.waitForResponse((r) => r.url().includes('/blobs/sha256'));
  await page.getByRole('button', { name: 'Open software-vv-rev-b.pdf' }).click();
  const body = await (await download).body();
  assert.equal(body.subarray(0, 8).toString(), '%PDF-1.4');
  await page.getByText('Digest verified').waitFor();
  assert.match(await page.locator('iframe.pdf').getAttribute('src'), /^blob:/);
  await page.waitForTimeout(1500); // the viewer renders the page
  await shot(page, 'dossier-document');
  await done(page);
});

test('compare two versions: the changed headings side by side', async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.goto(`${us.url}/`); // a reload signs out: the token was only in memory
  await page.getByRole('heading', { name: 'Sign in to Dossier Exchange' }).waitFor();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'thorax', exact: true }).click();
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByRole('cell', { name: 'Adds effusion, cybersecurity report' }).waitFor();
  await page.getByRole('link', { name: '1 → 2' }).click();
  await page.getByText('2 headings changed').waitFor();
  const modified = page.getByRole('region', { name: 'Changes in 3.05.05.08' });
  await modified.getByText('MODIFIED').waitFor();
  assert.equal(await modified.locator('.del', { hasText: 'software-vv.pdf' }).count(), 1);
  assert.equal(await modified.locator('.ins', { hasText: 'software-vv-rev-b.pdf' }).count(), 1);
  const added = page.getByRole('region', { name: 'Changes in 3.05.05.11' });
  await added.getByText('ADDED', { exact: true }).waitFor();
  // The server's document-level diff names the structured fields with both values.
  await added.getByText('data.sbomFormat').waitFor();
  assert.equal(await added.locator('.ins', { hasText: 'CycloneDX 1.5' }).count(), 1);
  const other = page.getByRole('region', { name: 'Other changed fields' });
  await other.locator('.del', { hasText: '2.0.0' }).waitFor();
  await other.locator('.ins', { hasText: 'pleural effusion' }).waitFor();
  await checkAxe(page, 'compare');
  await shot(page, 'compare');
  await done(page);
});

test('readiness: a checklist with citations, each item linking to its heading', async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'thorax', exact: true }).click();
  await page.getByRole('link', { name: 'Readiness' }).click();
  await page.getByLabel('Pathway').selectOption('510k-traditional');
  const list = page.getByRole('list', { name: 'Readiness checklist for FDA 510k-traditional' });
  await list.waitFor();
  assert.ok((await list.getByRole('listitem').count()) > 3);
  assert.ok((await list.getByText(/21 CFR/).count()) > 0, 'items cite their source');
  await page.getByText(/^(Ready|Not ready)/).first().waitFor();
  await checkAxe(page, 'readiness');
  await shot(page, 'readiness');
  const link = list.getByRole('link', { name: /^Go to heading/ }).first();
  const code = (await link.textContent()).replace('Go to heading ', '');
  await link.click();
  await page.getByRole('heading', { name: new RegExp(code.replace(/\./g, '\\.')), level: 2 }).waitFor();
  assert.match(page.url(), new RegExp(`h=${code}`));
  await done(page);
});

test('export: the agency package with its loss report read out of the ZIP', async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'thorax', exact: true }).click();
  await page.getByRole('link', { name: 'Export' }).click();
  await page.getByLabel('Format').selectOption('fda-estar');
  const download = page.waitForResponse((r) => r.url().includes('/export?format=fda-estar'));
  await page.getByRole('button', { name: 'Export' }).click();
  const lossCount = Number((await download).headers()['x-dossier-loss-count']);
  const status = page.getByRole('status').filter({ hasText: 'thorax-v2-fda-estar.zip' });
  await status.waitFor();
  if (lossCount === 0) {
    await status.getByText('Nothing lost').waitFor();
  } else {
    await status.getByText(`${lossCount} item${lossCount === 1 ? '' : 's'} not carried`).waitFor();
    const rows = page.getByRole('table', { name: /Loss report/ }).locator('tbody tr');
    assert.equal(await rows.count(), lossCount);
  }
  await page.getByText(/files in the package/).click();
  assert.ok((await page.locator('details li').count()) > 1);
  await checkAxe(page, 'export');
  await shot(page, 'export');
  await done(page);
});

test("verification: the page checks the version's inclusion proof and checkpoint itself", async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'thorax', exact: true }).click();
  await page.getByRole('link', { name: 'Verify' }).click();
  const verdict = page.getByTestId('verify-verdict');
  await verdict.waitFor();
  const steps = await page.getByRole('list', { name: 'Verification steps' }).textContent();
  assert.match(await verdict.textContent(), /^Verified: version 2 is in the log/, steps);
  assert.equal(await page.getByText('✓ passed').count(), 7, steps);
  await checkAxe(page, 'verify');
  await shot(page, 'verify');

  // A proof altered on the way is caught, and the page says which check failed.
  await page.route('**/bundle', async (route) => {
    const response = await route.fetch();
    const bundle = await response.json();
    const hash = Buffer.from(bundle.inclusionProof[0], 'base64');
    hash[0] ^= 1;
    bundle.inclusionProof[0] = hash.toString('base64');
    await route.fulfill({ response, json: bundle });
  });
  await page.getByRole('button', { name: 'Verify again' }).click();
  await page.getByText(/^Not verified: version is in the log \(inclusion proof\) failed/).waitFor();
  await page.getByText("the proof does not lead to the checkpoint's root").waitFor();
  await done(page);
});

test('ledger and review clock: the events, the clock as the agency counts it, and its rule', async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'Submissions' }).click();
  const row = page.getByRole('row').filter({ hasText: world.usSubmission });
  await row.getByText('day 30 of 90 FDA days').waitFor();
  await row.getByText('due soon').waitFor();
  await row.getByRole('link', { name: world.usSubmission }).click();
  // Received 40 days ago, stopped 10 days ago by the request: 30 of 90 FDA days used.
  const clock = page.getByTestId('clock-state');
  await clock.getByText('Day 30 of 90').waitFor();
  assert.match(await clock.textContent(), /stopped.*FDA days · 60 remaining/);
  const deadlines = page.getByRole('list', { name: 'Deadlines' });
  await deadlines.getByRole('listitem').filter({ hasText: `due ${dayFromToday(10)}` }).getByText('due-soon').waitFor();
  await deadlines.getByRole('listitem').filter({ hasText: "The agency's decision goal" }).getByText('paused').waitFor();
  const rule = page.getByRole('row').filter({ hasText: 'US-510K-GOAL' });
  await rule.getByText(/MDUFA V commitment letter/).waitFor();
  await rule.getByText('performance-goal').waitFor();
  await rule.getByText('unverified', { exact: true }).waitFor();
  const ledger = page.getByRole('table', { name: 'Correspondence ledger' });
  for (const event of ['Submitted', 'Sent to the agency', 'Acknowledged', 'Additional information requested']) {
    await ledger.getByRole('cell', { name: event, exact: false }).first().waitFor();
  }
  await ledger.getByText('agency reference K261234').waitFor();
  const request = ledger.getByRole('row').filter({ hasText: 'Additional information requested' });
  await request.getByText('open', { exact: true }).waitFor();
  await request.getByText('Report results per reader subgroup.', { exact: false }).waitFor();
  await checkAxe(page, 'ledger');
  await shot(page, 'ledger', true);
  // Read 20 days on, the answer is overdue; the clock stays stopped.
  await page.getByLabel('Read the clock as of').fill(dayFromToday(20));
  await deadlines.getByRole('listitem').filter({ hasText: `due ${dayFromToday(10)}` }).getByText('overdue').waitFor();
  assert.match(page.url(), new RegExp(`asOf=${dayFromToday(20)}`));
  // A deficiency links to its heading in the submitted version.
  await request.getByRole('link', { name: /^3\.05\.05\.08/ }).click();
  await page.getByRole('heading', { name: /3\.05\.05\.08/, level: 2 }).waitFor();
  assert.match(page.url(), /\/dossiers\/thorax\?v=2&h=3\.05\.05\.08/);
  await done(page);
});

test('comments: a thread on a heading replied to, resolved and reopened by the two parties, as text', async () => {
  const maker = await newPage();
  await signIn(maker, us, 'acme', world.acme.token);
  await maker.getByRole('link', { name: 'Submissions' }).click();
  await maker.getByRole('link', { name: world.usSubmission }).click();
  await maker.getByRole('link', { name: 'Comments' }).click();
  const thread = maker.getByRole('article', { name: 'Thread on 3.05.05.08' });
  await thread.getByText(XSS_COMMENT, { exact: true }).waitFor();
  await thread.getByText('On software-vv-rev-b.pdf', { exact: false }).waitFor();
  await thread.getByLabel('Reply').fill('Reader subgroups are in rev B, table 4.');
  await thread.getByRole('button', { name: 'Send reply' }).click();
  await thread.getByText('Reader subgroups are in rev B, table 4.', { exact: true }).waitFor();
  assert.equal(await maker.evaluate(() => window.__xss), undefined);
  assert.equal(await maker.locator('img[src="x"]').count(), 0);
  await done(maker);

  const reviewer = await newPage();
  await signIn(reviewer, us, 'fda', world.fda.token);
  await reviewer.getByRole('link', { name: world.usSubmission }).click();
  await reviewer.getByRole('link', { name: 'Comments' }).click();
  const theirs = reviewer.getByRole('article', { name: 'Thread on 3.05.05.08' });
  await theirs.getByText('Reader subgroups are in rev B, table 4.').waitFor();
  await theirs.getByRole('button', { name: 'Resolve' }).click();
  await theirs.getByText('resolved', { exact: true }).waitFor();
  await theirs.getByRole('button', { name: 'Reopen' }).click();
  await theirs.getByText('open', { exact: true }).waitFor();
  await theirs.getByRole('button', { name: 'Resolve' }).click();
  await theirs.getByText('resolved', { exact: true }).waitFor();
  // A new thread on another heading, through the form.
  await reviewer.getByLabel('Heading').selectOption('2.04.01');
  await reviewer.getByLabel('Document (optional)').selectOption({ label: 'description.pdf' });
  await reviewer.getByLabel('Comment').fill('State the minimum image resolution.');
  await reviewer.getByRole('button', { name: 'Open thread' }).click();
  const opened = reviewer.getByRole('article', { name: 'Thread on 2.04.01' });
  await opened.getByText('State the minimum image resolution.').waitFor();
  await reviewer.getByText('2 threads').waitFor();
  await checkAxe(reviewer, 'comments');
  await shot(reviewer, 'comments', true);
  await done(reviewer);

  // The server holds what the two pages did.
  const { threads } = await world.acme.api.get(`/v1/tenants/acme/submissions/${world.usSubmission}/comments`);
  const byHeading = Object.fromEntries(threads.map((t) => [t.heading, t]));
  assert.equal(byHeading['3.05.05.08'].status, 'resolved');
  assert.deepEqual(byHeading['3.05.05.08'].messages.map((m) => m.party), ['agency', 'manufacturer']);
  assert.equal(byHeading['2.04.01'].status, 'open');
  assert.equal(byHeading['2.04.01'].document, world.followup.descriptionDigest);
});

test('change plans: each executed modification evaluated, within the plan or not, per jurisdiction', async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'Change plans' }).click();
  await page.getByRole('link', { name: 'thorax-pccp' }).click();
  const [within, outside] = world.followup.modifications.map((m) => page.getByRole('region', { name: `Modification ${m.id}` }));
  await within.getByRole('heading', { name: /M1 → software 2\.4\.0/ }).getByText('within plan').waitFor();
  await outside.getByRole('heading', { name: /M1 → software 2\.4\.1/ }).getByText('outside plan').waitFor();
  await outside
    .getByRole('list', { name: /^Reasons/ })
    .getByText('ethnicity=east-asian: point estimate 0.861 is below the minimum 0.88', { exact: false })
    .waitFor();
  const jurisdiction = (region, j) => region.getByRole('table', { name: /^Verdict per jurisdiction/ }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${j}`) }) });
  await jurisdiction(within, 'US').getByText('within plan').waitFor();
  // Before 2 Aug 2028 the EU verdict of a within-plan change is not within plan (AI Act Art 43(4) not yet applicable).
  await jurisdiction(within, 'EU').getByText('outside plan').waitFor();
  assert.match(await jurisdiction(within, 'EU').getByRole('cell').nth(1).textContent(), /only from 2 August 2028 \(Art 113\(c\)/);
  await jurisdiction(outside, 'US').getByText('do-not-implement').waitFor();
  await checkAxe(page, 'change-plan');
  await shot(page, 'change-plan');
  await done(page);
});

test("post-market performance: a chart per subgroup and site against the plan's bounds, and the drift alert", async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'Change plans' }).click();
  await page.getByRole('link', { name: 'thorax-pccp' }).click();
  await page.getByRole('link', { name: 'Post-market performance' }).click();
  const drifting = page.getByRole('figure', { name: 'sensitivity · ethnicity=east-asian · site-05-sg' });
  await drifting.waitFor();
  assert.equal(await page.getByRole('figure').count(), 4, 'one chart per metric, subgroup and site');
  const chart = drifting.getByRole('img');
  assert.match(await chart.getAttribute('aria-labelledby'), /title .*desc/);
  assert.match(await drifting.locator('desc').textContent(), /0\.862 in 2026-04-01 – 2026-06-30.*at least 0\.88.*Outside the bound in 2026-04-01 – 2026-06-30/);
  assert.equal(await drifting.locator('.chart-point').count(), 1, 'the first quarter within the bound');
  assert.equal(await drifting.locator('.chart-point-out').count(), 1, 'the second quarter outside it');
  assert.equal(await drifting.locator('.chart-bound').count(), 1);
  const rows = drifting.getByRole('table').locator('tbody tr');
  assert.deepEqual(await rows.allTextContents(), ['2026-01-01 – 2026-03-310.901within', '2026-04-01 – 2026-06-300.862outside']);
  const fpr = page.getByRole('figure', { name: 'falsePositiveRate · all patients · all sites' });
  await fpr.getByText('max 0.12').waitFor();
  await page.getByRole('list', { name: 'Drift' }).getByText(/site-05-sg: 0\.862 .* below the plan's minimum 0\.88/).waitFor();
  await checkAxe(page, 'performance');
  await shot(page, 'performance', true);
  await done(page);

  const reviewer = await newPage();
  await signIn(reviewer, us, 'fda', world.fda.token);
  await reviewer.getByRole('link', { name: 'Alerts' }).click();
  const alert = reviewer.getByRole('region', { name: /^Alert a-/ });
  await alert.getByText("acme's thorax-pccp, software 2.1.0").waitFor();
  await alert.getByText(/at site site-05-sg: 0\.862/).first().waitFor();
  await alert.getByRole('row').filter({ hasText: 'us-803-30-day' }).getByRole('cell', { name: /^no later than 30 calendar days/ }).waitFor();
  await checkAxe(reviewer, 'alerts');
  await shot(reviewer, 'alerts');
  await done(reviewer);
});

test('a reviewer signs a decision in the browser and the server accepts its signature', async () => {
  const page = await newPage();
  await signIn(page, us, 'fda', world.fda.token);
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  await checkAxe(page, 'inbox');
  await shot(page, 'inbox');
  await page.getByRole('link', { name: world.usSubmission }).click();
  await page.getByRole('heading', { name: `ThoraxTriage — submission ${world.usSubmission}` }).waitFor();
  await page.getByRole('link', { name: 'Readiness' }).click();
  await page.getByRole('list', { name: /Readiness checklist for FDA/ }).waitFor();
  await page.getByRole('link', { name: 'Decision' }).click();
  await page.getByLabel('Private key file').setInputFiles(join(keyDir, 'fda-reviewer.pem'));
  await page.getByTestId('key-note').filter({ hasText: 'is registered for fda' }).waitFor();
  await page.getByLabel('Decision number').fill('K261234');
  await page.getByLabel('Summary').fill('Substantially equivalent to the predicate.');
  await page.getByLabel('Notes for 3.05.05.08').fill('V&V complete');
  await checkAxe(page, 'decision');
  await page.getByRole('button', { name: 'Sign and record decision' }).click();
  await page.getByTestId('decision-recorded').waitFor();
  await page.getByText(/Version 1: CLEARED K261234/).waitFor();
  await shot(page, 'decision', true);
  await done(page);

  // The server recorded it: a verified, logged decision on the submission.
  const decisions = await world.fda.api.get(`/v1/tenants/fda/submissions/${world.usSubmission}/decisions`);
  assert.equal(decisions.decisions.length, 1);
  assert.equal(decisions.decisions[0].decision.outcome, 'CLEARED');
  assert.equal(decisions.decisions[0].signerKeyId, world.fda.keyId);
  const manufacturerView = await world.acme.api.get(`/v1/tenants/acme/submissions/${world.usSubmission}`);
  assert.equal(manufacturerView.status, 'DECIDED');
});

test("the reliance view on the second node shows the FDA's decision heading by heading", async () => {
  // The SG node pulls the US node's feed (every 200 ms) and verifies it.
  const deadline = Date.now() + 30000;
  let peer;
  do {
    peer = await world.hsa.api.get(`/v1/tenants/hsa/peers/${world.peerId}`);
    if (peer.status === 'OK' && Number(peer.lastSeq) >= 1) break;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  assert.equal(peer.status, 'OK', JSON.stringify(peer));

  const page = await newPage();
  await signIn(page, sg, 'hsa', world.hsa.token);
  await page.getByRole('link', { name: world.sgSubmission }).click();
  await page.getByRole('link', { name: 'Reliance' }).click();
  const decision = page.getByRole('region', { name: 'Decision by fda' });
  await decision.getByText('K261234').waitFor();
  await decision.getByText('CLEARED').waitFor();
  const row = (code) => decision.getByRole('listitem').filter({ hasText: code });
  await row('3.05.05.08').getByText('DIFFERENT').waitFor();
  await row('2.04.01').getByText('identical').waitFor();
  await row('3.05.05.08').getByText("fda's review: ACCEPTABLE — V&V complete").waitFor();
  await checkAxe(page, 'reliance');
  await shot(page, 'reliance');
  // A heading link opens that heading of this submission.
  await row('3.05.05.08').getByRole('link').click();
  await page.getByRole('heading', { name: /3\.05\.05\.08/, level: 2 }).waitFor();
  await page.getByRole('button', { name: 'Open software-vv-rev-b.pdf' }).waitFor();
  await done(page);
});

test('dossier content holding markup is shown as text and never runs', async () => {
  const page = await newPage();
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'xss-case' }).click();
  await page.getByRole('heading', { level: 1 }).filter({ hasText: XSS_NAME }).waitFor();
  await page.locator('[data-code="2.04.01"] > .toc-row').click();
  await page.getByText(XSS_FILE, { exact: true }).waitFor();
  await page.getByText('<b onmouseover="window.__xss = 4">bold</b>').hover();
  await page.getByRole('link', { name: 'Dossiers' }).click();
  await page.getByRole('cell', { name: XSS_NAME }).waitFor();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('img[src="x"], b[onmouseover]').count(), 0);
  await done(page);
});

test('a narrow window: the layout stacks and nothing scrolls sideways', async () => {
  const page = await newPage({ width: 390, height: 844 });
  await signIn(page, us, 'acme', world.acme.token);
  await page.getByRole('link', { name: 'thorax', exact: true }).click();
  await page.locator('[data-code="3.05.05.11"] > .toc-row').click();
  await page.getByText('CycloneDX 1.5').waitFor();
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `page is ${scroll}px wide in a ${width}px window`);
  await checkAxe(page, 'narrow');
  await shot(page, 'narrow');
  await done(page);
  writeFileSync(join(shots, 'axe.json'), JSON.stringify(axeFindings, null, 1));
});
