// The world the browser tests look at, made through the public API of two
// real nodes: a US node where the manufacturer "acme" keeps two versions of
// a dossier, submits version 2 to the FDA tenant and shares the FDA's
// decisions with the HSA node; an SG node where the same device (one heading
// different) is submitted to HSA, which pulls the FDA node's feed.
import { Api, commit, createActor, makePdf, uploadBlob } from './api.mjs';

const DOSSIER = 'application/vnd.dossier.v1+json';
export const XSS_NAME = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">';
export const XSS_FILE = '<img src=x onerror="window.__xss = 3">.pdf';

async function pdf(actor, name, lines) {
  return { digest: await uploadBlob(actor, makePdf(lines)), mediaType: 'application/pdf', fileName: name };
}

// The device's dossier; `variant` changes the software V&V report only.
async function thorax(actor, variant, { second = false } = {}) {
  const sections = [
    { code: '1.04', documents: [await pdf(actor, 'cover-letter.pdf', ['Cover letter', 'ThoraxTriage 510(k)'])] },
    {
      code: '2.04.01',
      documents: [await pdf(actor, 'description.pdf', ['Device description', 'Chest X-ray triage software'])],
      data: { principleOfOperation: 'Convolutional network scores chest radiographs', softwareOnly: true },
    },
    {
      code: '3.05.05.08',
      documents: [
        await pdf(actor, 'software-vv.pdf', ['Software verification and validation', `Report ${variant}`]),
      ],
    },
    { code: '6A.04', documents: [await pdf(actor, 'qms.pdf', ['Quality management system', 'Procedures'])] },
  ];
  if (second) {
    sections[2].documents[0] = await pdf(actor, 'software-vv-rev-b.pdf', ['Software V&V', `Report ${variant} rev B`]);
    sections.splice(3, 0, {
      code: '3.05.05.11',
      documents: [await pdf(actor, 'cybersecurity.pdf', ['Cybersecurity', 'Threat model and SBOM'])],
      data: { sbomFormat: 'CycloneDX 1.5', threatModel: 'STRIDE' },
    });
  }
  return {
    tocEdition: 'IMDRF-N9-ED4',
    device: {
      tradeName: 'ThoraxTriage',
      identifiers: [{ type: 'UDI_DI', value: '00614141999996', issuer: 'GS1' }],
      softwareOnly: true,
      softwareVersion: second ? '2.1.0' : '2.0.0',
    },
    intendedUse: second
      ? 'Triage of adult chest radiographs for suspected pneumothorax and pleural effusion'
      : 'Triage of adult chest radiographs for suspected pneumothorax',
    sections,
  };
}

export async function seed(us, sg) {
  const acme = await createActor(us, 'acme');
  const fda = await createActor(us, 'fda', 'REGULATOR', 'US');
  await acme.api.post('/v1/tenants/acme/dossiers', { id: 'thorax', title: 'ThoraxTriage chest X-ray triage' });
  const v1 = await thorax(acme, 'US');
  const d1 = await commit(acme, 'dossiers/thorax', 1, '', v1, DOSSIER, 'First submission draft');
  const v2 = await thorax(acme, 'US', { second: true });
  await commit(acme, 'dossiers/thorax', 2, d1, v2, DOSSIER, 'Adds effusion, cybersecurity report');

  // Dossier content a browser must show as text, never as markup.
  await acme.api.post('/v1/tenants/acme/dossiers', { id: 'xss-case', title: XSS_NAME });
  await commit(
    acme,
    'dossiers/xss-case',
    1,
    '',
    {
      tocEdition: 'IMDRF-N9-ED4',
      device: { tradeName: XSS_NAME, identifiers: [{ type: 'UDI_DI', value: '00614141999989', issuer: 'GS1' }] },
      sections: [
        {
          code: '2.04.01',
          documents: [{ ...(await pdf(acme, 'x.pdf', ['xss'])), fileName: XSS_FILE }],
          data: { note: '<b onmouseover="window.__xss = 4">bold</b>' },
        },
      ],
    },
    DOSSIER,
  );

  const usSubmission = await acme.api.post('/v1/tenants/acme/submissions', {
    dossier: 'thorax',
    version: 2,
    agency: 'fda',
    pathway: '510k-traditional',
  });

  // The FDA shares its decisions with the HSA node (a VIEWER tenant here).
  const op = new Api(us.url, us.operatorToken);
  await op.post('/v1/tenants', { id: 'hsa-node', displayName: 'HSA node', kind: 'REGULATOR' });
  const { token: feedToken } = await op.post('/v1/tenants/hsa-node/tokens', { role: 'VIEWER', label: 'HSA node' });
  await fda.api.post('/v1/tenants/fda/reliance-agreements', { peer: 'hsa-node', includeReviewReports: true });

  // The SG node: the same device, its V&V report differing.
  const acmeSg = await createActor(sg, 'acme');
  const hsa = await createActor(sg, 'hsa', 'REGULATOR', 'SG');
  await acmeSg.api.post('/v1/tenants/acme/dossiers', { id: 'thorax' });
  await commit(acmeSg, 'dossiers/thorax', 1, '', await thorax(acmeSg, 'SG', { second: true }), DOSSIER);
  const sgSubmission = await acmeSg.api.post('/v1/tenants/acme/submissions', {
    dossier: 'thorax',
    version: 1,
    agency: 'hsa',
    pathway: 'abridged',
  });
  const logKey = await fda.api.get('/v1/log/public-key');
  const peer = await hsa.api.post('/v1/tenants/hsa/peers', {
    url: us.url,
    tenant: 'fda',
    token: feedToken,
    logPublicKeyPem: logKey.publicKeyPem,
  });
  return { acme, fda, hsa, usSubmission: usSubmission.id, sgSubmission: sgSubmission.id, peerId: peer.id };
}
