// Entry point of the bundle (dist/index.js), which the runner executes; the logic is in
// main.ts so that importing it runs nothing.
import { run } from './main.js';

await run();
