// Starts a real dossierd on 127.0.0.1 (a free port; HTTPS when extraArgs name
// --tls-cert and --tls-key) with a temporary data
// directory, the way tests/support's Server fixture does for the C++ tests:
// it waits for the "listening on" line and reads the operator token the
// server wrote on its first start. stop() sends SIGTERM and waits.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startDossierd({ bin, webRoot, name, extraArgs = [] }) {
  const dataDir = mkdtempSync(join(tmpdir(), `dossier-web-${name}-`));
  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--rate-limit', '0', '--peer-poll-ms', '200',
    '--quiet', '--web-root', webRoot, ...extraArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const { scheme, port } = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`dossierd (${name}) did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      seen += d;
      const m = seen.match(/listening on (https?):\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ scheme: m[1], port: Number(m[2]) });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dossierd (${name}) exited with ${code}: ${stderr}`));
    });
  });
  const operatorToken = readFileSync(join(dataDir, 'operator.token'), 'utf8').trim();
  return {
    name,
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    operatorToken,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
