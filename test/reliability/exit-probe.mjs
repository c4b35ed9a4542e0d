// Preloaded into a bundle run (`NODE_OPTIONS=--import <this file>`) by the load tests: records
// when the action last wrote to stdout or stderr and, when the process exits, how long it stayed
// alive after that. The action never calls process.exit(), so a socket or timer it leaked would
// keep the event loop, and so the process, alive: this measures that wait, from inside.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const file = process.env.EXIT_PROBE_FILE;
let lastOutputAt = performance.now();

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = (...args) => {
    lastOutputAt = performance.now();
    return write(...args);
  };
}

process.on('exit', (code) => {
  if (file === undefined) return;
  const quietMs = performance.now() - lastOutputAt;
  writeFileSync(file, JSON.stringify({ code, quietMs }));
});
