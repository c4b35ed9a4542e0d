import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/action/index.ts
process.stderr.write("smtp-notify: the action is not implemented yet; only the libraries exist.\n");
process.exitCode = 1;
