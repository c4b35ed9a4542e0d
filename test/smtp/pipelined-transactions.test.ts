// A send split into transactions by a recipient limit (RFC 5321 4.5.3.1.10): once a
// transaction's envelope is answered the client knows who goes in the next one, so that
// envelope (MAIL, RCPT..., DATA) rides with the content and final dot (RFC 2920 3.1: "the
// RSET/MAIL FROM sequence necessary to initiate a new message transaction can be placed in the
// same group as the final transfer of the headers and body of the previous message"). When that
// dot is refused, the transaction already begun must never deliver. Flights are counted through
// a recording proxy in front of the real smtp-server; refusals are played by the fault server.
import { describe, expect, it } from 'vitest';
import { SmtpReplyError, sendMail } from '../../src/smtp/index.js';
import { startFaultServer, type Fault, type FaultServer } from '../helpers/fault-server.js';
import { startFlightRecorder } from '../helpers/flight-recorder.js';
import { TEST_PASSWORD, TEST_USERNAME } from '../helpers/hygiene.js';
import { sendFailure, sendOptions, useCleanups } from '../helpers/send-fixtures.js';
import { refusal, startSmtpServer } from '../helpers/smtp-server.js';
import { addresses, captureFailure, flightVerbs, limitedServer } from './pipelining-fixtures.js';

const defer = useCleanups();

/** The verbs of each client flight, RCPTs counted: e.g. 'MAIL RCPT*100 DATA', '. QUIT'. */
function shapeOf(flight: string): string {
  const shape: string[] = [];
  for (const verb of flightVerbs(flight)) {
    const last = shape.at(-1) ?? '';
    if (verb !== 'RCPT') shape.push(verb);
    else if (!last.startsWith('RCPT')) shape.push('RCPT*1');
    else shape[shape.length - 1] = `RCPT*${Number(last.slice(5)) + 1}`;
  }
  return shape.join(' ');
}

describe('the next envelope rides with the final dot (RFC 2920 3.1)', () => {
  it('1,000 recipients at 100 per transaction: 12 flights, everyone reached once', async () => {
    const { running, proxy } = await limitedServer(defer, 100);
    const to = addresses(1000);
    const result = await sendMail(
      sendOptions(proxy.port, { envelope: { from: 'ci@example.com', to } }),
    );
    expect(result.transactions).toBe(10);
    expect(result.accepted).toHaveLength(1000);
    expect(result.rejected).toEqual([]);
    const reached = running.received.flatMap((message) => message.to);
    expect(reached).toHaveLength(1000);
    expect(new Set(reached).size).toBe(1000);
    // EHLO; the first envelope; nine flights of content, dot and the next envelope; the last
    // content with its dot and QUIT. Without riding, each envelope took a flight of its own (21).
    expect(proxy.clientFlights().map(shapeOf)).toEqual([
      'EHLO',
      'MAIL RCPT*1000 DATA',
      ...Array.from({ length: 9 }, () => '. MAIL RCPT*100 DATA'),
      '. QUIT',
    ]);
  });

  it('with AUTH PLAIN leading the first envelope: 5 flights for 250 recipients', async () => {
    const { running, proxy } = await limitedServer(defer, 100);
    const to = addresses(250);
    const auth = { username: TEST_USERNAME, password: TEST_PASSWORD };
    const result = await sendMail(
      sendOptions(proxy.port, { auth, envelope: { from: 'ci@example.com', to } }),
    );
    expect(result.authMechanism).toBe('PLAIN');
    expect(running.received.map((message) => message.to.length)).toEqual([100, 100, 50]);
    expect(proxy.clientFlights().map(shapeOf)).toEqual([
      'EHLO',
      'AUTH MAIL RCPT*250 DATA',
      '. MAIL RCPT*100 DATA',
      '. MAIL RCPT*50 DATA',
      '. QUIT',
    ]);
  });

  it('without PIPELINING every command still waits for its reply', async () => {
    const running = defer(
      await startSmtpServer({
        hidePIPELINING: true,
        onRcptTo: (_address, session, callback) =>
          session.envelope.rcptTo.length >= 1
            ? callback(refusal(452, '4.5.3 Too many recipients'))
            : callback(),
      }),
    );
    const proxy = defer(await startFlightRecorder(running.port));
    const to = ['a@example.com', 'b@example.com'];
    await sendMail(sendOptions(proxy.port, { envelope: { from: 'ci@example.com', to } }));
    expect(running.received.map((message) => message.to)).toEqual([[to[0]], [to[1]]]);
    expect(proxy.clientFlights().map(shapeOf)).toEqual(
      ['EHLO', 'MAIL', 'RCPT', 'RCPT', 'DATA', '.', 'MAIL', 'RCPT', 'DATA', '.', 'QUIT'].map(
        (verb) => (verb === 'RCPT' ? 'RCPT*1' : verb),
      ),
    );
  });
});

/** A fault server that defers every recipient after the first of a transaction (452). */
async function deferringServer(faults: readonly Fault[]): Promise<FaultServer> {
  const server = await startFaultServer({ faults });
  defer(server);
  return server;
}

const deferSecond: Fault = {
  at: 'RCPT',
  nth: 2,
  action: { reply: ['452 4.5.3 Too many recipients'] },
};

function capture(error: unknown): void {
  captureFailure('pipelined transactions', error);
}

describe('a refused dot with the next envelope already sent', () => {
  const to = ['a@example.com', 'b@example.com'];

  it('closes without a final dot once the next DATA is answered 354', async () => {
    const server = await deferringServer([
      deferSecond,
      { at: 'dot', nth: 1, action: { reply: ['554 5.7.1 Rejected as spam'] } },
      // The server reset its transaction after the refused dot: the next one goes ahead.
      { at: 'MAIL', nth: 2, action: { reply: ['250 2.1.0 Sender OK'] } },
    ]);
    const error = await sendFailure(server.port, { envelope: { from: 'ci@example.com', to } });
    capture(error);
    const connection = server.connections[0];
    await connection?.closed;
    expect(error).toBeInstanceOf(SmtpReplyError);
    expect(error).toMatchObject({ phase: 'message', code: 554, outcome: 'not-delivered' });
    expect(error.delivered).toEqual([]);
    expect(error.rejected).toEqual([]);
    expect(server.accepted).toHaveLength(0);
    // The next envelope went out with the dot and got its 354; nothing followed it.
    expect(connection?.commands.slice(-3)).toEqual([
      expect.stringMatching(/^MAIL FROM:<ci@example\.com>/),
      'RCPT TO:<b@example.com>',
      'DATA',
    ]);
    expect(connection?.contents).toHaveLength(1);
    expect(connection?.text().endsWith('DATA\r\n')).toBe(true);
  });

  it('reads the next envelope out and QUITs when its DATA is refused', async () => {
    const server = await deferringServer([
      deferSecond,
      { at: 'dot', nth: 1, action: { reply: ['451 4.3.0 Try again later'] } },
      { at: 'DATA', nth: 2, action: { reply: ['503 5.5.1 Bad sequence of commands'] } },
    ]);
    const error = await sendFailure(server.port, { envelope: { from: 'ci@example.com', to } });
    capture(error);
    const connection = server.connections[0];
    await connection?.closed;
    expect(error).toMatchObject({ phase: 'message', code: 451, transient: true });
    expect(error.outcome).toBe('not-delivered');
    expect(server.accepted).toHaveLength(0);
    expect(connection?.commands.slice(-2)).toEqual(['DATA', 'QUIT']);
    expect(connection?.contents).toHaveLength(1);
  });

  it('drops the connection at once when the dot is answered 421', async () => {
    const server = await deferringServer([
      deferSecond,
      { at: 'dot', nth: 1, action: { reply: ['421 4.3.2 Shutting down'], then: 'end' } },
    ]);
    const error = await sendFailure(server.port, { envelope: { from: 'ci@example.com', to } });
    capture(error);
    await server.connections[0]?.closed;
    expect(error).toMatchObject({ phase: 'message', code: 421, transient: true });
    expect(error.outcome).toBe('not-delivered');
    expect(server.connections[0]?.commands).not.toContain('QUIT');
    expect(server.accepted).toHaveLength(0);
  });

  it('reports the earlier transaction as delivered when a later dot is refused', async () => {
    const three = [...to, 'c@example.com'];
    const server = await deferringServer([
      // Transaction 1 takes a@ (RCPTs 1-3), transaction 2 takes b@ (4-5), c@ never gets its turn.
      { at: 'RCPT', nth: 2, action: { reply: ['452 4.5.3 Too many recipients'] } },
      { at: 'RCPT', nth: 3, action: { reply: ['452 4.5.3 Too many recipients'] } },
      { at: 'RCPT', nth: 5, action: { reply: ['452 4.5.3 Too many recipients'] } },
      { at: 'dot', nth: 2, action: { reply: ['554 5.6.0 Message refused'] } },
      { at: 'MAIL', nth: 3, action: { reply: ['250 2.1.0 Sender OK'] } },
    ]);
    const error = await sendFailure(server.port, {
      envelope: { from: 'ci@example.com', to: three },
    });
    capture(error);
    const connection = server.connections[0];
    await connection?.closed;
    expect(error).toMatchObject({ phase: 'message', code: 554, outcome: 'partial' });
    expect(error.delivered).toEqual(['a@example.com']);
    expect(server.accepted).toHaveLength(1);
    expect(connection?.contents).toHaveLength(2);
    expect(connection?.commands.slice(-3)).toEqual([
      expect.stringMatching(/^MAIL FROM:<ci@example\.com>/),
      'RCPT TO:<c@example.com>',
      'DATA',
    ]);
  });
});
