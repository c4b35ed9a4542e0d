// However a send ends, it leaves no socket and no timer behind: an action's process must exit
// as soon as its work is done. Each send runs in a child process (test/helpers/leak-probe.ts)
// that reports the handles still active afterwards; the servers run here.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type Script } from '../helpers/scripted-server.js';
import { startSmtpServer } from '../helpers/smtp-server.js';
import { listenOnLoopback } from '../helpers/loopback.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});

interface ProbeReport {
  error: string | null;
  resources: string[];
}

async function probe(port: number, extra: Record<string, unknown> = {}): Promise<ProbeReport> {
  const options = {
    host: '127.0.0.1',
    port,
    tls: 'none',
    ehloName: 'runner.example.com',
    envelope: { from: 'ci@example.com', to: ['dev@example.com'] },
    timeouts: { greeting: 300, command: 300, finalReply: 300, dataBlock: 300 },
    ...extra,
  };
  const { stdout } = await run(
    process.execPath,
    ['scripts/run-ts.mjs', 'test/helpers/leak-probe.ts', JSON.stringify(options)],
    { cwd: root },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ProbeReport;
}

async function scripted(script: Script): Promise<number> {
  const server = await startScriptedServer(script);
  cleanups.push(() => server.close());
  return server.port;
}

const envelope: Script = [
  { send: '220 mx.test\r\n' },
  { expect: /^EHLO / },
  { send: '250-mx.test\r\n250 PIPELINING\r\n' },
  { expect: /^MAIL / },
  { expect: /^RCPT / },
  { expect: 'DATA' },
];

describe('nothing is left running after a send', () => {
  it('that succeeded', async () => {
    const running = await startSmtpServer();
    cleanups.push(() => running.close());
    expect(await probe(running.port)).toEqual({ error: null, resources: [] });
  });

  it('that every recipient refused (closed politely with QUIT)', async () => {
    const running = await startSmtpServer({
      onRcptTo: (_address, _session, callback) =>
        callback(Object.assign(new Error('no such user'), { responseCode: 550 })),
    });
    cleanups.push(() => running.close());
    expect(await probe(running.port)).toEqual({ error: 'SmtpRecipientsError', resources: [] });
  });

  it.each([
    ['a 421 in the pipelined group', [...envelope, { send: '421 4.3.2 bye\r\n' }, { end: true }]],
    ['a server that stops answering', [...envelope, { delay: 3000 }]],
    [
      'a drop after the final dot',
      [
        ...envelope,
        { send: '250 a\r\n250 b\r\n354 c\r\n' },
        { expect: 'Subject: probe' },
        { expect: '' },
        { expect: 'body' },
        { expect: '.' },
        { drop: true },
      ],
    ],
    ['a reply before the final dot', [...envelope, { send: '354 go\r\n250 early\r\n' }]],
  ] as [string, Script][])('that failed with %s', async (_name, script) => {
    const report = await probe(await scripted(script));
    expect(report.error).not.toBeNull();
    expect(report.resources).toEqual([]);
  });

  it('whose STARTTLS handshake failed certificate checks', async () => {
    const running = await startSmtpServer();
    cleanups.push(() => running.close());
    // The test CA is not given: the server's certificate cannot be verified.
    const report = await probe(running.port, { tls: 'starttls' });
    expect(report).toEqual({ error: 'SmtpTlsError', resources: [] });
  });

  it('that could not connect at all', async () => {
    const closed = createServer();
    const port = await listenOnLoopback(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await probe(port)).toEqual({ error: 'SmtpConnectionError', resources: [] });
  });
});
