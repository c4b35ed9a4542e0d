// Who has the message and who was refused when a transaction fails: the SendResult that would say
// so is never returned, so the error must (RFC 5321 4.5.3.1.10 splits a send into transactions;
// 4.5.3.2.6 leaves the outcome of a dot without a reply unknown). Scripted for the faults, the
// real smtp-server where it plays them on cue.
import { describe, expect, it } from 'vitest';
import { assertNoSecrets } from '../helpers/secrets.js';
import {
  envelopeGroupTo,
  greeted,
  greetedWith,
  scripted,
  sendFailure,
  transactionTo,
  useCleanups,
} from '../helpers/send-fixtures.js';
import { startSmtpServer } from '../helpers/smtp-server.js';

const defer = useCleanups();

describe('a later transaction failing after a 452 split', () => {
  it('reports outcome partial and names the recipients already delivered', async () => {
    const running = await startSmtpServer({
      onMailFrom: (_address, session, callback) =>
        session.transaction > 1
          ? callback(Object.assign(new Error('4.7.0 Rate limited'), { responseCode: 451 }))
          : callback(),
      onRcptTo: (_address, session, callback) =>
        session.envelope.rcptTo.length >= 1
          ? callback(Object.assign(new Error('4.5.3 Too many recipients'), { responseCode: 452 }))
          : callback(),
    });
    defer(running);
    const to = ['a@example.com', 'b@example.com'];
    const error = await sendFailure(running.port, { envelope: { from: 'ci@example.com', to } });
    expect(error.phase).toBe('mail');
    expect(error.code).toBe(451);
    expect(error.transient).toBe(true);
    expect(error.outcome).toBe('partial');
    expect(error.delivered).toEqual(['a@example.com']);
    expect(running.received.map((received) => received.to)).toEqual([['a@example.com']]);
  });
});

describe('a later transaction refused after an earlier one refused a recipient', () => {
  it('keeps the earlier refusals on the partial error, next to the delivered', async () => {
    const to = ['a@example.com', 'b@example.com', 'c@example.com'];
    const server = await scripted([
      ...greeted,
      ...transactionTo(to, [
        '250 ok',
        '250 ok',
        '550 5.1.1 <b@example.com>: unknown user',
        '452 4.5.3 Too many recipients',
        '354 go',
      ]),
      { send: '250 2.0.0 queued as A\r\n' },
      ...transactionTo(['c@example.com'], ['250 ok', '250 ok', '354 go']),
      { send: '451 4.3.0 try again later\r\n' },
      { expect: 'QUIT' },
      { send: '221 bye\r\n' },
    ]);
    const error = await sendFailure(server.port, { envelope: { from: 'ci@example.com', to } });
    expect(server.connections[0]?.failures).toEqual([]);
    expect(error.phase).toBe('message');
    expect(error.code).toBe(451);
    expect(error.outcome).toBe('partial');
    expect(error.delivered).toEqual(['a@example.com']);
    expect(error.rejected).toEqual([
      {
        address: 'b@example.com',
        reply: { code: 550, enhancedCode: '5.1.1', lines: ['5.1.1 <b@example.com>: unknown user'] },
      },
    ]);
  });
});

describe('a recipient refused in the transaction that then fails', () => {
  const to = ['b@example.com', 'a@example.com'];
  const refusedB = {
    address: 'b@example.com',
    reply: { code: 550, enhancedCode: '5.1.1', lines: ['5.1.1 <b@example.com>: unknown user'] },
  };
  const bRefused = ['250 ok', '550 5.1.1 <b@example.com>: unknown user', '250 ok', '354 go'];

  it('is on the error when the final dot is refused', async () => {
    // c@ is deferred (452, RFC 5321 4.5.3.1.10), which is no refusal: its transaction's
    // envelope rides with the dot (RFC 2920 3.1), and once the dot is refused it must never
    // deliver. Its DATA is answered 354, so the client closes without a final dot.
    const server = await scripted([
      ...greeted,
      ...transactionTo(
        [...to, 'c@example.com'],
        [...bRefused.slice(0, 3), '452 4.5.3 Too many', '354 go'],
      ),
      ...envelopeGroupTo('c@example.com'),
      { send: '451 4.3.0 try again later\r\n250 ok\r\n250 ok\r\n354 go\r\n' },
    ]);
    const error = await sendFailure(server.port, {
      envelope: { from: 'ci@example.com', to: [...to, 'c@example.com'] },
    });
    const connection = server.connections[0];
    await connection?.closed;
    expect(connection?.failures).toEqual([]);
    expect(connection?.lines.at(-1)).toBe('DATA');
    expect(error.phase).toBe('message');
    expect(error.code).toBe(451);
    expect(error.outcome).toBe('not-delivered');
    expect(error.delivered).toEqual([]);
    expect(error.rejected).toEqual([refusedB]);
  });

  it('is on the error when the connection drops after the dot (outcome unknown)', async () => {
    const server = await scripted([...greeted, ...transactionTo(to, bRefused), { drop: true }]);
    const error = await sendFailure(server.port, { envelope: { from: 'ci@example.com', to } });
    expect(error.phase).toBe('message');
    expect(error.outcome).toBe('unknown');
    expect(error.rejected).toEqual([refusedB]);
  });

  it('is on the error when a pipelined envelope meets a 421', async () => {
    const server = await scripted([
      ...greeted,
      ...envelopeGroupTo(...to, 'c@example.com'),
      {
        send: `250 ok\r\n550 5.1.1 <b@example.com>: unknown user\r\n250 ok\r\n421 4.3.2 closing\r\n`,
      },
    ]);
    const error = await sendFailure(server.port, {
      envelope: { from: 'ci@example.com', to: [...to, 'c@example.com'] },
    });
    expect(error.phase).toBe('rcpt');
    expect(error.code).toBe(421);
    expect(error.transient).toBe(true);
    // c@ got the 421, which closes the session: the error is its story, not a refusal of c@.
    expect(error.rejected).toEqual([refusedB]);
  });

  it('is on the error when a 421 comes mid-envelope without PIPELINING', async () => {
    const server = await scripted([
      ...greetedWith('250-mx.test\r\n250 8BITMIME\r\n'),
      { expect: /^MAIL FROM:<ci@example.com>/ },
      { send: '250 ok\r\n' },
      { expect: 'RCPT TO:<b@example.com>' },
      { send: '550 5.1.1 <b@example.com>: unknown user\r\n' },
      { expect: 'RCPT TO:<a@example.com>' },
      { send: '421 4.3.2 closing\r\n' },
    ]);
    const error = await sendFailure(server.port, { envelope: { from: 'ci@example.com', to } });
    expect(server.connections[0]?.failures).toEqual([]);
    expect(error.phase).toBe('rcpt');
    expect(error.code).toBe(421);
    expect(error.rejected).toEqual([refusedB]);
  });

  it('follows the refusals of earlier transactions after a 452 split', async () => {
    const all = ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'];
    const server = await scripted([
      ...greeted,
      ...transactionTo(all, [
        '250 ok',
        '250 ok',
        '550 5.1.1 <b@example.com>: unknown user',
        '452 4.5.3 Too many recipients',
        '452 4.5.3 Too many recipients',
        '354 go',
      ]),
      { send: '250 2.0.0 queued as A\r\n' },
      ...transactionTo(all.slice(2), [
        '250 ok',
        '553 5.1.3 <c@example.com>: bad',
        '250 ok',
        '354 go',
      ]),
      { send: '451 4.3.0 try again later\r\n' },
      { expect: 'QUIT' },
      { send: '221 bye\r\n' },
    ]);
    const error = await sendFailure(server.port, { envelope: { from: 'ci@example.com', to: all } });
    expect(server.connections[0]?.failures).toEqual([]);
    expect(error.outcome).toBe('partial');
    expect(error.delivered).toEqual(['a@example.com']);
    expect(error.rejected.map((r) => [r.address, r.reply.code])).toEqual([
      ['b@example.com', 550],
      ['c@example.com', 553],
    ]);
  });

  it('is redacted like every other reply the error carries', async () => {
    const password = 'correct horse battery';
    const plainBlob = Buffer.from(`\0ci\0${password}`, 'utf8').toString('base64');
    const server = await scripted([
      ...greetedWith('250-mx.test\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n'),
      { expect: `AUTH PLAIN ${plainBlob}` },
      { send: '235 2.7.0 ok\r\n' },
      ...transactionTo(to, [
        '250 ok',
        `550 5.7.1 ${password} may not write to b@example.com`,
        '250 ok',
        '354 go',
      ]),
      { expect: 'QUIT' },
      { send: '451 4.3.0 try again later\r\n221 bye\r\n' },
    ]);
    const error = await sendFailure(server.port, {
      envelope: { from: 'ci@example.com', to },
      auth: { username: 'ci', password, mechanism: 'PLAIN' },
    });
    expect(error.code).toBe(451);
    expect(error.rejected.map((r) => r.reply.lines)).toEqual([
      ['5.7.1 [redacted] may not write to b@example.com'],
    ]);
    assertNoSecrets(JSON.stringify(error.rejected), [password]);
  });
});
