// Debian's Chromium, headless, driven by playwright-core (no browser download:
// the executable is the system one). The flags keep it off the network: no
// background requests, updates, sync or QUIC; playwright gives every launch a
// fresh temporary profile (--user-data-dir).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const deps = createRequire(join(process.env.DOSSIER_WEB_DEPS, 'noop.js'));
const { chromium } = deps('playwright-core');
const axeSource = readFileSync(deps.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--metrics-recording-only',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.DOSSIER_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 30000,
  });
}

// axe-core's WCAG 2.x A/AA rules on the current page. It is evaluated through
// the DevTools protocol, which the page's CSP does not govern, so the app's
// policy stays as strict in the test as in use.
export async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}
