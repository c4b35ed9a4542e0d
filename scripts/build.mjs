// Bundles the action into dist/index.js. GitHub runs dist/ as committed, so the output must
// be reproducible: CI rebuilds it and fails when it differs from what is in the repository.
import { build } from 'esbuild';
import { runnerBundleOptions } from './bundle-options.mjs';

/**
 * `@actions/core` imports `@actions/http-client` (and through it undici and tunnel) for its OIDC
 * token helper, which the action never calls. Those packages do not declare themselves free of
 * side effects, so esbuild would keep them, about 770 KiB that every run parses at start-up
 * (see BENCHMARKS.md). Declaring them so lets tree shaking drop what is unused; anything the
 * action did use would still be bundled.
 */
const unusedHttpStack = {
  name: 'unused-http-stack',
  setup(builder) {
    builder.onResolve({ filter: /^(@actions\/http-client|undici|tunnel)(\/|$)/ }, async (args) => {
      if (args.pluginData?.resolving === true) return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

await build({
  ...runnerBundleOptions,
  entryPoints: ['src/action/index.ts'],
  outfile: 'dist/index.js',
  plugins: [unusedHttpStack],
});
