// The web app in a real Chromium against two real dossierd nodes on
// 127.0.0.1: sign in (with a token; with a client certificate on a third,
// HTTPS node: mtls.cases.mjs); open a dossier; walk its ToC with the keyboard; open a
// PDF; compare two versions; read readiness; verify a version's log entry in
// the browser (and see a tampered proof refused); a reviewer signs a decision
// in the browser and the server accepts it; after submit, the ledger and
// clock, comments, change plans, performance charts and alerts
// (after_submit.cases.mjs); the reliance view on the second
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
import { registerAfterSubmitCases } from './after_submit.cases.mjs';
import { registerMutualTlsCase } from './mtls.cases.mjs';
import { seed, XSS_FILE, XSS_NAME } from './seed.mjs';
import { seedFollowup } from './seed_followup.mjs';

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

// What the cases in other files (after_submit.cases.mjs, mtls.cases.mjs) use.
const harness = {
  bin,
  webRoot,
  DESKTOP,
  newPage,
  signIn,
  shot,
  checkAxe,
  done,
  get us() {
    return us;
  },
  get world() {
    return world;
  },
  get browser() {
    return browser;
  },
};

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

registerMutualTlsCase(harness);

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

// What happens after submit; they run before the decision closes the submission.
registerAfterSubmitCases(harness);

test('a reviewer signs a decision in the browser and the server accepts its signature', async () => {
  const page = await newPage();
  await signIn(page, us, 'fda', world.followup.fdaReviewerToken);
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
