// How a session ends after a refusal: RFC 5321 4.1.1.10 wants QUIT whenever the session is still
// in step, and QUIT alone ends an open transaction (RFC 5321 3.3: "A mail transaction may be
// aborted by the RSET, a new EHLO, or the QUIT command"), so RSET is only for a transaction
// that follows. The fault server records every line it received.
import { describe, expect, it } from 'vitest';
import {
  SmtpAuthError,
  SmtpRecipientsError,
  sendMail,
  verifyConnection,
} from '../../src/smtp/index.js';
import { startFaultServer, type FaultServerOptions } from '../helpers/fault-server.js';
import { TEST_PASSWORD, TEST_USERNAME } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import {
  localServer,
  pipelinedEnvelope,
  scripted,
  sendFailure,
  testTimeouts,
  useCleanups,
} from '../helpers/send-fixtures.js';
import { refusal, startSmtpServer } from '../helpers/smtp-server.js';
import { startFlightRecorder } from '../helpers/flight-recorder.js';
import { addresses, captureFailure } from './pipelining-fixtures.js';

const defer = useCleanups();
const wrongAuth = { username: TEST_USERNAME, password: `${TEST_PASSWORD}-but-wrong` };

async function faultServer(options: FaultServerOptions) {
  return defer(await startFaultServer(options));
}

function capture(error: unknown): void {
  captureFailure('polite endings', error);
}

describe('a refused AUTH (RFC 4954 6) ends with QUIT (RFC 5321 4.1.1.10)', () => {
  it('on a send without PIPELINING: the AUTH error, then QUIT, no MAIL', async () => {
    const server = await faultServer({ pipelining: false });
    const error = await sendFailure(server.port, { auth: wrongAuth });
    capture(error);
    const connection = server.connections[0];
    await connection?.closed;
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error).toMatchObject({ phase: 'auth', code: 535 });
    expect(connection?.commands.map((line) => line.split(' ')[0])).toEqual([
      'EHLO',
      'AUTH',
      'QUIT',
    ]);
    expect(error.transcript.map((entry) => entry.text)).toContain('QUIT');
    assertNoSecrets(error.message, [wrongAuth.password]);
  });

  it('on a verify with a mechanism that needs a challenge (LOGIN)', async () => {
    const server = await faultServer({ authMechanisms: ['LOGIN'] });
    const error = await verifyConnection(
      localServer(server.port, { auth: wrongAuth, timeouts: testTimeouts }),
    ).catch((caught: unknown) => caught);
    capture(error);
    await server.connections[0]?.closed;
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(server.connections[0]?.commands.at(-1)).toBe('QUIT');
  });

  it('keeps the AUTH error when QUIT gets no answer, within the command timeout', async () => {
    const server = await faultServer({
      pipelining: false,
      faults: [{ at: 'QUIT', action: 'silent' }],
    });
    const error = await sendFailure(server.port, { auth: wrongAuth });
    capture(error);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.code).toBe(535);
    expect(server.connections[0]?.commands.at(-1)).toBe('QUIT');
  });

  it('drops the connection without QUIT when AUTH is answered 421', async () => {
    const server = await faultServer({
      pipelining: false,
      faults: [{ at: 'AUTH', action: { reply: ['421 4.3.2 Shutting down'], then: 'end' } }],
    });
    const error = await sendFailure(server.port, { auth: wrongAuth });
    capture(error);
    await server.connections[0]?.closed;
    expect(error.code).toBe(421);
    expect(server.connections[0]?.commands).not.toContain('QUIT');
  });
});

describe('every recipient refused: QUIT ends the transaction, no RSET first', () => {
  const refuseAll = { at: 'RCPT', action: { reply: ['550 5.1.1 No such user'] } } as const;

  it.each([
    ['without PIPELINING', false, ['EHLO', 'MAIL', 'RCPT', 'QUIT']],
    ['pipelined (DATA refused too)', true, ['EHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT']],
  ] as const)('%s', async (_name, pipelining, verbs) => {
    const server = await faultServer({ pipelining, faults: [refuseAll] });
    const error = await sendFailure(server.port);
    capture(error);
    await server.connections[0]?.closed;
    expect(error).toBeInstanceOf(SmtpRecipientsError);
    expect(server.connections[0]?.commands.map((line) => line.split(/[ :]/)[0])).toEqual(verbs);
  });

  it('sends QUIT with the lone dot when DATA was answered 354 anyway (RFC 2920 3.1)', async () => {
    // A server that says 354 with no recipient accepted is not one the fault server plays.
    const server = await scripted([
      ...pipelinedEnvelope,
      { send: '250 ok\r\n550 5.1.1 no such user\r\n354 go\r\n' },
      { expect: '.' },
      { send: '554 5.5.1 no valid recipients\r\n' },
      { expect: 'QUIT' },
      { send: '221 bye\r\n' },
    ]);
    const recorder = defer(await startFlightRecorder(server.port));
    const error = await sendFailure(recorder.port);
    capture(error);
    expect(error).toBeInstanceOf(SmtpRecipientsError);
    expect(server.connections[0]?.failures).toEqual([]);
    expect(server.connections[0]?.text()).not.toContain('body line');
    expect(recorder.clientFlights().at(-1)).toBe('.\r\nQUIT\r\n');
  });

  it('still sends RSET when another transaction follows a chunk nobody accepted', async () => {
    // 100 per transaction; r101..r200 refused: the second transaction accepts nobody, and its
    // MAIL must be cleared before the third (r201, r202) begins. Without PIPELINING, in turn.
    const running = defer(
      await startSmtpServer({
        hidePIPELINING: true,
        onRcptTo: (address, session, callback) => {
          const n = Number(/\d+/.exec(address.address)?.[0]);
          if (session.envelope.rcptTo.length >= 100)
            return callback(refusal(452, '4.5.3 Too many'));
          if (n > 100 && n <= 200) return callback(refusal(550, '5.1.1 No such user'));
          return callback();
        },
      }),
    );
    const recorder = defer(await startFlightRecorder(running.port));
    const to = addresses(202);
    const result = await sendMail({
      ...localServer(recorder.port),
      envelope: { from: 'ci@example.com', to },
      message: Buffer.from('Subject: t\r\n\r\nbody\r\n'),
    });
    expect(result.transactions).toBe(3);
    expect(result.accepted).toHaveLength(102);
    expect(result.rejected).toHaveLength(100);
    const flights = recorder.clientFlights();
    expect(flights.filter((flight) => flight === 'RSET\r\n')).toHaveLength(1);
    expect(running.received.map((message) => message.to.length)).toEqual([100, 2]);
  });
});
