// Bundles the web app with esbuild into the folder dossierd serves.
//   node build.mjs --out DIR --deps DIR/node_modules
// The dependencies come from the build tree (CMake runs `npm ci` there from
// package-lock.json), so nothing is written into the source tree. The IMDRF
// ToC editions are bundled from schema/toc/*.tsv, the same files the server
// embeds, so heading titles never drift between the server and the app.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string' }, deps: { type: 'string' } } });
if (!values.out || !values.deps) {
  console.error('usage: node build.mjs --out DIR --deps NODE_MODULES_DIR');
  process.exit(2);
}
const out = resolve(values.out);
const deps = resolve(values.deps);
const esbuild = createRequire(join(deps, 'noop.js'))('esbuild');

mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  bundle: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  minify: true,
  sourcemap: false,
  outfile: join(out, 'app.js'),
  nodePaths: [deps],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.tsv': 'text' },
  logLevel: 'warning',
  legalComments: 'none',
});
for (const file of readdirSync(join(here, 'static'))) {
  copyFileSync(join(here, 'static', file), join(out, file));
}
