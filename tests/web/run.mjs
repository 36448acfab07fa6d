// ctest entry point of the browser tests (web_browser_test): checks what they
// need, then runs app.test.mjs with node's test runner. Without Chromium the
// test is skipped with a message (exit 77, which ctest reports as skipped),
// except under CI, where a missing browser is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const chromium = process.env.DOSSIER_CHROMIUM || '/usr/bin/chromium';
const missing = [];
if (!existsSync(chromium)) missing.push(`Chromium (${chromium}; tools/install-deps.sh installs Debian's chromium)`);
for (const name of ['DOSSIER_BIN_DIR', 'DOSSIER_WEB_ROOT', 'DOSSIER_WEB_DEPS']) {
  if (!process.env[name]) missing.push(`the ${name} environment variable (set by ctest)`);
}
if (missing.length) {
  const message = `web_browser_test: missing ${missing.join(', ')}`;
  if (process.env.CI) {
    console.error(`${message}; failing because CI is set`);
    process.exit(1);
  }
  console.log(`SKIPPED: ${message}`);
  process.exit(77);
}
const here = dirname(fileURLToPath(import.meta.url));
const run = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', join(here, 'app.test.mjs')],
  { stdio: 'inherit', env: { ...process.env, DOSSIER_CHROMIUM: chromium } },
);
process.exit(run.status ?? 1);
