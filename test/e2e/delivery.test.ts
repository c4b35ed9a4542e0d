// Delivery outcomes of the built action: refused recipients (fail or warn), a transient 4xx
// retried with the same message, and a permanent refusal that is not retried.
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-run.js';
import { parseReceived, serverInputs, type ActionServer } from '../helpers/action-server.js';
import { refusal } from '../helpers/smtp-server.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

/** A server that refuses RCPT TO for `nobody@example.com` with 550 5.1.1. */
function startRefusingServer(): Promise<ActionServer> {
  return startServer({
    onRcptTo(address, _session, callback) {
      if (address.address === 'nobody@example.com') {
        callback(refusal(550, '5.1.1 <nobody@example.com>: Recipient address rejected'));
      } else callback();
    },
  });
}

describe('refused recipients', () => {
  it('with on-rejected-recipient: fail, delivers to the others and fails naming the refused', async () => {
    const server = await startRefusingServer();
    const run = await runAction({
      inputs: { ...serverInputs(server), to: 'dev@example.com, nobody@example.com' },
    });
    expect(run.exitCode).toBe(1);
    expect(server.received[0]?.to).toEqual(['dev@example.com']);
    expect(run.stdout).toMatch(
      /::error::The server refused 1 recipient\(s\): nobody@example\.com \(550 5\.1\.1/,
    );
    expect(run.outputs.result).toBe('partial');
    expect(JSON.parse(run.outputs.rejected ?? '')).toEqual([
      { address: 'nobody@example.com', reply: expect.stringMatching(/^550 5\.1\.1 /) as unknown },
    ]);
    expect(JSON.parse(run.outputs.accepted ?? '')).toEqual([
      { address: 'dev@example.com', reply: expect.stringMatching(/^250/) as unknown },
    ]);
    expect(run.summary).toContain('nobody@example.com: 550 5.1.1');
  });

  it('with on-rejected-recipient: warn, succeeds with a warning annotation', async () => {
    const server = await startRefusingServer();
    const run = await runAction({
      inputs: {
        ...serverInputs(server),
        to: 'dev@example.com, nobody@example.com',
        'on-rejected-recipient': 'warn',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^::warning::The server refused 1 recipient\(s\): nobody@example/m);
    expect(run.outputs.result).toBe('partial');
    expect(server.received).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries a 451 to the final dot and sends the same Message-ID again (attempts 2)', async () => {
    const refused: Buffer[] = [];
    const server = await startServer({
      answerMessage: (count, data) => {
        if (count > 1) return undefined;
        refused.push(data);
        return refusal(451, '4.3.0 Temporary local problem, try again');
      },
    });
    const run = await runAction({ inputs: serverInputs(server) });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.attempts).toBe('2');
    expect(run.outputs.result).toBe('sent');
    expect(run.stdout).toMatch(/Attempt 1 failed \(451 4\.3\.0 Temporary local problem/);
    expect(server.connections).toBe(2);
    const mail = await parseReceived(server);
    expect(mail.messageId).toBe(run.outputs['message-id']);
    // The refused first attempt carried the very same bytes, so the same Message-ID.
    expect(refused[0]?.equals(server.received[0]?.data ?? Buffer.alloc(0))).toBe(true);
  });

  it('does not retry a 554 to the final dot, and writes outputs and summary', async () => {
    const server = await startServer({
      answerMessage: () => refusal(554, '5.7.1 Message rejected as spam'),
    });
    const run = await runAction({ inputs: serverInputs(server) });
    expect(run.exitCode).toBe(1);
    expect(server.connections).toBe(1);
    expect(run.outputs.attempts).toBe('1');
    expect(run.outputs.result).toBe('failed');
    expect(run.outputs['message-id']).toMatch(/^<[^@]+@example\.com>$/);
    expect(run.stdout).toMatch(/::error::.*554 5\.7\.1 Message rejected as spam/);
    // The transcript is printed on failure even without `transcript: true`.
    expect(run.stdout).toContain('::group::SMTP transcript');
    expect(run.summary).toContain('Email not sent');
    expect(run.summary).toContain('554 5.7.1 Message rejected as spam');
  });
});
