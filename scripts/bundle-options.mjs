// The esbuild options of every bundle the runner's Node executes: dist/index.js
// (scripts/build.mjs) and the start-up benchmark's programs (bench/startup.ts), which must be
// bundled alike for the comparison to be fair. Each caller adds its entry point and output.

/** @type {import('esbuild').BuildOptions} */
export const runnerBundleOptions = {
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
};
