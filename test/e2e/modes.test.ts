// The run modes of the built action: dry-run writes and prints the message without connecting,
// verify opens a session without sending, and thread gives every run the same References.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-run.js';
import { mailPassword, omitInputs, parseReceived, serverInputs } from '../helpers/action-server.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

describe('mode: dry-run', () => {
  it('writes the .eml to RUNNER_TEMP, prints it, and never connects', async () => {
    const server = await startServer();
    const run = await runAction({
      inputs: { ...serverInputs(server), mode: 'dry-run', bcc: 'audit@example.com' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(server.connections).toBe(0);
    expect(run.outputs.result).toBe('dry-run');
    const emlPath = run.outputs['eml-path'] ?? '';
    expect(dirname(emlPath)).toBe(run.runnerTemp);
    expect(emlPath).toMatch(/smtp-notify-[0-9a-f]+\.eml$/);
    const eml = await readFile(emlPath);
    const parsed = await simpleParser(eml);
    expect(parsed.messageId).toBe(run.outputs['message-id']);
    expect(parsed.subject).toMatch(/acme\/widgets/);
    expect(parsed.headers.has('bcc')).toBe(false);
    // Every header line of the message is in the log, behind the prefix.
    expect(run.stdout).toContain(`eml| Message-ID: ${run.outputs['message-id']}`);
    expect(run.stdout).toContain('eml| To: dev@example.com');
    expect(run.summary).toContain('Dry run');
    expect(run.summary).toContain('1 Bcc recipient');
    expect(run.summary).not.toContain('audit@example.com');
  });

  it('needs no server at all', async () => {
    const run = await runAction({
      inputs: { mode: 'dry-run', from: 'ci@example.com', to: 'dev@example.com' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('dry-run');
  });
});

describe('mode: verify', () => {
  it('connects, secures, authenticates and quits without a message or addresses', async () => {
    const server = await startServer();
    const connection = omitInputs(serverInputs(server), 'from', 'to');
    const run = await runAction({ inputs: { ...connection, mode: 'verify' } });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('verified');
    expect(server.logins).toEqual(['ci-bot@example.com']);
    expect(server.mailCommands).toBe(0);
    expect(run.summary).toContain('SMTP connection verified');
    expect(run.summary).toMatch(/TLSv1\.[23]/);
  });

  it('fails with advice and the transcript when the password is wrong', async () => {
    const server = await startServer();
    const run = await runAction({
      inputs: { ...serverInputs(server), mode: 'verify', password: `${mailPassword}-old` },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(run.stdout).toMatch(
      /::error::SMTP failed .*AUTH PLAIN.*535 Authentication credentials invalid/,
    );
    expect(run.stdout).toContain('Check `username` and `password`');
    expect(run.stdout).toContain('::group::SMTP transcript');
    expect(run.stdout).toContain('C: AUTH PLAIN [redacted]');
  });
});

describe('thread: true', () => {
  it('gives two runs of a workflow on a branch the same References, and another branch its own', async () => {
    const server = await startServer();
    const inputs = { ...serverInputs(server), thread: 'true', subject: 'Nightly build' };
    await runAction({ inputs });
    await runAction({ inputs, env: { GITHUB_RUN_ID: '555', GITHUB_RUN_NUMBER: '43' } });
    await runAction({ inputs, env: { GITHUB_REF: 'refs/heads/release-1' } });
    const [first, second, other] = await Promise.all(
      [0, 1, 2].map((i) => parseReceived(server, i)),
    );
    expect(first?.references).toMatch(/^<[0-9a-f]{64}@thread\.smtp-notify\.invalid>$/);
    expect(first?.inReplyTo).toBe(first?.references);
    expect(second?.references).toBe(first?.references);
    expect(second?.messageId).not.toBe(first?.messageId);
    expect(other?.references).not.toBe(first?.references);
  });
});
