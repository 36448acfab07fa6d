// The browser cases for what happens after submit, registered by
// app.test.mjs on its running nodes and seeded world (seed_followup.mjs): the
// ledger and review clock, comment threads, change plans with their
// modification evaluations, post-market performance charts and drift alerts.
// One page per party walks all of its screens, so the cases add little time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayFromToday, XSS_COMMENT } from './seed_followup.mjs';

// `h`: the harness of app.test.mjs (pages, sign-in, screenshots, axe, the world).
// The manufacturer's submission: the clock, its deadlines and rule, the ledger.
async function ledgerAndClock(h, page) {
  await page.getByRole('link', { name: 'Submissions' }).click();
  const row = page.getByRole('row').filter({ hasText: h.world.usSubmission });
  await row.getByText('day 30 of 90 FDA days').waitFor();
  await row.getByText('due soon').waitFor();
  await row.getByRole('link', { name: h.world.usSubmission }).click();
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
  await h.checkAxe(page, 'ledger');
  await h.shot(page, 'ledger', true);
  // Read 20 days on, the answer is overdue; the clock stays stopped.
  await page.getByLabel('Read the clock as of').fill(dayFromToday(20));
  await deadlines.getByRole('listitem').filter({ hasText: `due ${dayFromToday(10)}` }).getByText('overdue').waitFor();
  assert.match(page.url(), new RegExp(`asOf=${dayFromToday(20)}`));
  // A deficiency links to its heading in the submitted version.
  await request.getByRole('link', { name: /^3\.05\.05\.08/ }).click();
  await page.getByRole('heading', { name: /3\.05\.05\.08/, level: 2 }).waitFor();
  assert.match(page.url(), /\/dossiers\/thorax\?v=2&h=3\.05\.05\.08/);
}

// The manufacturer answers the reviewer's thread; the message holding markup stays text.
async function replyToComment(h, page) {
  await page.getByRole('link', { name: 'Submissions' }).click();
  await page.getByRole('link', { name: h.world.usSubmission }).click();
  await page.getByRole('link', { name: 'Comments' }).click();
  const thread = page.getByRole('article', { name: 'Thread on 3.05.05.08' });
  await thread.getByText(XSS_COMMENT, { exact: true }).waitFor();
  await thread.getByText('On software-vv-rev-b.pdf', { exact: false }).waitFor();
  await thread.getByLabel('Reply').fill('Reader subgroups are in rev B, table 4.');
  await thread.getByRole('button', { name: 'Send reply' }).click();
  await thread.getByText('Reader subgroups are in rev B, table 4.', { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('img[src="x"]').count(), 0);
}

async function changePlans(h, page) {
  await page.getByRole('link', { name: 'Change plans' }).click();
  await page.getByRole('link', { name: 'thorax-pccp' }).click();
  const [within, outside] = h.world.followup.modifications.map((m) => page.getByRole('region', { name: `Modification ${m.id}` }));
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
  await h.checkAxe(page, 'change-plan');
  await h.shot(page, 'change-plan');
}

async function performance(h, page) {
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
  await h.checkAxe(page, 'performance');
  await h.shot(page, 'performance', true);
}

// The reviewer resolves, reopens and resolves the answered thread and opens another.
async function reviewComments(h, page) {
  await page.getByRole('link', { name: h.world.usSubmission }).click();
  await page.getByRole('link', { name: 'Comments' }).click();
  const theirs = page.getByRole('article', { name: 'Thread on 3.05.05.08' });
  await theirs.getByText('Reader subgroups are in rev B, table 4.').waitFor();
  await theirs.getByRole('button', { name: 'Resolve' }).click();
  await theirs.getByText('resolved', { exact: true }).waitFor();
  await theirs.getByRole('button', { name: 'Reopen' }).click();
  await theirs.getByText('open', { exact: true }).waitFor();
  await theirs.getByRole('button', { name: 'Resolve' }).click();
  await theirs.getByText('resolved', { exact: true }).waitFor();
  // A new thread on another heading, through the form.
  await page.getByLabel('Heading').selectOption('2.04.01');
  await page.getByLabel('Document (optional)').selectOption({ label: 'description.pdf' });
  await page.getByLabel('Comment').fill('State the minimum image resolution.');
  await page.getByRole('button', { name: 'Open thread' }).click();
  const opened = page.getByRole('article', { name: 'Thread on 2.04.01' });
  await opened.getByText('State the minimum image resolution.').waitFor();
  await page.getByText('2 threads').waitFor();
  await h.checkAxe(page, 'comments');
  await h.shot(page, 'comments', true);
}

async function alerts(h, page) {
  await page.getByRole('link', { name: 'Alerts' }).click();
  const alert = page.getByRole('region', { name: /^Alert a-/ });
  await alert.getByText("acme's thorax-pccp, software 2.1.0").waitFor();
  await alert.getByText(/at site site-05-sg: 0\.862/).first().waitFor();
  await alert.getByRole('row').filter({ hasText: 'us-803-30-day' }).getByRole('cell', { name: /^no later than 30 calendar days/ }).waitFor();
  await h.checkAxe(page, 'alerts');
  await h.shot(page, 'alerts');
}

export function registerAfterSubmitCases(h) {
  test('after submit, the manufacturer: ledger and review clock with its rule, a comment reply, change plans evaluated per jurisdiction, performance charts against the bounds', async () => {
    const page = await h.newPage();
    await h.signIn(page, h.us, 'acme', h.world.acme.token);
    await ledgerAndClock(h, page);
    await replyToComment(h, page);
    await changePlans(h, page);
    await performance(h, page);
    await h.done(page);
  });

  test('after submit, the reviewer (a REVIEWER token): comment threads resolved, reopened and opened; the drift alert with its reporting duties', async () => {
    const page = await h.newPage();
    await h.signIn(page, h.us, 'fda', h.world.followup.fdaReviewerToken);
    await reviewComments(h, page);
    await alerts(h, page);
    await h.done(page);

    // The server holds what the two pages did.
    const { threads } = await h.world.acme.api.get(`/v1/tenants/acme/submissions/${h.world.usSubmission}/comments`);
    const byHeading = Object.fromEntries(threads.map((t) => [t.heading, t]));
    assert.equal(byHeading['3.05.05.08'].status, 'resolved');
    assert.deepEqual(byHeading['3.05.05.08'].messages.map((m) => m.party), ['agency', 'manufacturer']);
    assert.equal(byHeading['2.04.01'].status, 'open');
    assert.equal(byHeading['2.04.01'].document, h.world.followup.descriptionDigest);
  });
}
