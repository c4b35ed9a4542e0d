/**
 * Run in a child process (`node scripts/run-ts.mjs test/helpers/leak-probe.ts '<options JSON>'`):
 * sends once with the given options, lets the event loop turn, then prints what the client left
 * behind as one JSON line: `{ "error": name | null, "resources": [...] }`. A socket or timer in
 * `resources` is one that would keep a finished job's process alive or fire after it ended.
 */
import { sendMail, type SendMailOptions } from '../../src/smtp/index.js';

const given = JSON.parse(process.argv[2] ?? '{}') as Omit<SendMailOptions, 'message'>;
const message = Buffer.from('Subject: probe\r\n\r\nbody\r\n');
let error: string | null = null;
try {
  await sendMail({ ...given, message });
} catch (caught) {
  error = caught instanceof Error ? caught.name : String(caught);
}
// Handles closed by destroy() go away on the next turns of the loop.
for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
const resources = process
  .getActiveResourcesInfo()
  .filter((name) => /Timeout|Immediate|TCP|TLS|Socket/.test(name));
process.stdout.write(`${JSON.stringify({ error, resources })}\n`);
