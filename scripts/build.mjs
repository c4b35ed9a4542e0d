// Bundles the action into dist/index.js. GitHub runs dist/ as committed, so the output must
// be reproducible: CI rebuilds it and fails when it differs from what is in the repository.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/action/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  legalComments: 'none',
  // Some runtime dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
