import type { BuildOptions } from 'esbuild';

/** The esbuild options of every bundle the runner's Node executes (see bundle-options.mjs). */
export declare const runnerBundleOptions: BuildOptions;
