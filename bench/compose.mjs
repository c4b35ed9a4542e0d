// Runs bench/compose.ts: bundles it with esbuild (TypeScript, our sources) into a temporary
// file, leaving nodemailer external, and imports it. Usage: node --expose-gc bench/compose.mjs [runs]
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const dir = await mkdtemp(join(root, 'node_modules', '.bench-'));
const outfile = join(dir, 'compose.mjs');
try {
  await build({
    entryPoints: [join(root, 'bench', 'compose.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  await import(pathToFileURL(outfile).href);
} finally {
  await rm(dir, { recursive: true, force: true });
}
