// Runs a TypeScript entry point of the project (a demo or a benchmark) without a separate
// TypeScript runtime: esbuild bundles it with our sources into a temporary file, leaving npm
// packages external, and Node imports that. Usage: node scripts/run-ts.mjs <entry.ts> [args...]
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: node scripts/run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
// Inside node_modules so that the bundle resolves the project's packages.
const dir = await mkdtemp(join(root, 'node_modules', '.run-ts-'));
const outfile = join(dir, 'entry.mjs');
// The entry sees its own arguments, as if it had been run directly.
process.argv = [process.argv[0], resolve(entry), ...args];
try {
  await build({
    entryPoints: [resolve(entry)],
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
