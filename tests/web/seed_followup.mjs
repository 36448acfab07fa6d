// What happens after "submit", made through the public API of the US node:
// the correspondence ledger of the FDA submission (sent, acknowledged, an
// additional-information request still open, so the review clock is
// stopped), a comment thread the FDA reviewer opened on a heading, and a
// change plan for the device with two executed modifications (one within the
// plan, one not) and two quarters of post-market performance, the second
// drifting below the plan's bound at one site (an alert in the FDA's inbox).
// Event dates are relative to today, so the clock reads the same every day.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commit } from './api.mjs';

const EVENT = 'application/vnd.dossier.ledger-event.v1+json';
const PLAN = 'application/vnd.dossier.change-plan.v1+json';
const REPORT = 'application/vnd.dossier.performance-report.v1+json';
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pccpData = (name) => JSON.parse(readFileSync(join(repo, 'schema', 'pccp', 'testdata', name), 'utf8'));

// YYYY-MM-DD of today (UTC) plus `days`.
export const dayFromToday = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

// The markup a comment may hold; the page must show it as text.
export const XSS_COMMENT = 'See <img src=x onerror="window.__xss = 5"> in the report';

// Records `events` (in order) as one party's signed ledger versions.
async function record(actor, submission, events) {
  let parent = '';
  for (const [i, event] of events.entries()) {
    parent = await commit(actor, `submissions/${submission}/ledger`, i + 1, parent, { submission, ...event }, EVENT);
  }
}

// One quarter of real-world results of software 2.1.0; `eastAsianSg` is the
// value that may drift (the plan's bound for that subgroup is 0.88).
function quarter(periodStart, periodEnd, eastAsianSg) {
  return {
    softwareVersion: '2.1.0',
    periodStart,
    periodEnd,
    results: [
      { metric: 'sensitivity', value: 0.921, sampleSize: 880 },
      { metric: 'sensitivity', subgroup: 'sex=female', value: 0.905, sampleSize: 412 },
      { metric: 'sensitivity', subgroup: 'ethnicity=east-asian', site: 'site-05-sg', value: eastAsianSg, sampleSize: 161 },
      { metric: 'falsePositiveRate', value: 0.094 },
    ],
  };
}

export async function seedFollowup(world) {
  const { acme, fda, usSubmission: s } = world;
  const submitted = await acme.api.get(`/v1/tenants/acme/submissions/${s}`);
  const version = await acme.api.get(`/v1/tenants/acme/dossiers/thorax/versions/${submitted.version}`);
  const documentOf = (code) => version.content.sections.find((x) => x.code === code).documents[0];
  const vv = documentOf('3.05.05.08');

  await record(acme, s, [{ type: 'sent', occurredOn: dayFromToday(-40), channel: 'eSTAR via CDRH portal' }]);
  await record(fda, s, [
    { type: 'acknowledged', occurredOn: dayFromToday(-38), reference: 'K261234', receivedOn: dayFromToday(-40) },
    {
      type: 'ai-request',
      occurredOn: dayFromToday(-10),
      dueOn: dayFromToday(10),
      deficiencies: [
        { id: 'D1', heading: '3.05.05.08', document: vv.digest, text: 'Report results per reader subgroup.' },
        { id: 'D2', heading: '3.05.05.11', text: 'Provide the SBOM in machine-readable form.' },
      ],
    },
  ]);
  // The reviewer in the browser holds a REVIEWER token, no more.
  const { token: fdaReviewerToken } = await fda.api.post('/v1/tenants/fda/tokens', { role: 'REVIEWER', label: 'web reviewer' });
  const thread = await fda.api.post(`/v1/tenants/fda/submissions/${s}/comments`, {
    heading: '3.05.05.08',
    document: vv.digest,
    text: XSS_COMMENT,
  });

  await acme.api.post('/v1/tenants/acme/change-plans', { id: 'thorax-pccp', title: 'ThoraxTriage PCCP', dossier: 'thorax' });
  const plan = pccpData('thoraxtriage.pccp.json');
  await commit(acme, 'change-plans/thorax-pccp', 1, '', plan, PLAN, 'Plan 2.0 as authorised');
  const within = { ...pccpData('retrain-within-plan.json'), planVersion: 1 };
  const below = { ...pccpData('retrain-subgroup-below.json'), planVersion: 1 };
  const modifications = [];
  for (const m of [within, below]) {
    modifications.push(await acme.api.post('/v1/tenants/acme/change-plans/thorax-pccp/modifications', m, [201]));
  }
  let parent = '';
  const reports = [];
  for (const [i, r] of [quarter('2026-01-01', '2026-03-31', 0.901), quarter('2026-04-01', '2026-06-30', 0.862)].entries()) {
    parent = await commit(acme, 'change-plans/thorax-pccp/performance-reports', i + 1, parent, r, REPORT);
    reports.push(r);
  }
  return { fdaReviewerToken, thread: thread.id, descriptionDigest: documentOf('2.04.01').digest, modifications, reports };
}
