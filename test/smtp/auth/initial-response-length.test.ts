// RFC 4954 4: "the AUTH command is still subject to the line length limitations defined in
// [SMTP]. If use of the initial response argument would cause the AUTH command to exceed this
// length, the client MUST NOT use the initial response parameter" (it answers the server's empty
// 334 with it instead). 12288 octets is the limit for SASL responses, not for the AUTH line. A
// long OAuth token or password must therefore go on a line of its own, and an AUTH PLAIN that
// takes a round trip of its own cannot lead a pipelined group.
import { describe, expect, it } from 'vitest';
import { sendMail } from '../../../src/smtp/index.js';
import { startFlightRecorder } from '../../helpers/flight-recorder.js';
import {
  TEST_PASSWORD,
  TEST_TOKEN,
  TEST_USERNAME,
  captureForHygiene,
} from '../../helpers/hygiene.js';
import { sendOptions, useCleanups } from '../../helpers/send-fixtures.js';
import { startSmtpServer } from '../../helpers/smtp-server.js';

const defer = useCleanups();
// Long enough that `AUTH PLAIN <base64>` or `AUTH XOAUTH2 <base64>` passes 512 octets.
const longPassword = TEST_PASSWORD.repeat(40).slice(0, 400);
const longToken = `${TEST_TOKEN}${'x'.repeat(1_200)}`;

async function server() {
  const running = defer(
    await startSmtpServer({
      allowInsecureAuth: true,
      authOptional: false,
      authMethods: ['PLAIN', 'XOAUTH2'],
      onAuth: (login, _session, callback) => {
        const ok =
          login.username === TEST_USERNAME &&
          (login.method === 'XOAUTH2'
            ? login.accessToken === longToken
            : login.password === longPassword);
        if (ok) callback(null, { user: login.username });
        else callback(new Error('Invalid username or password'));
      },
    }),
  );
  return { running, proxy: defer(await startFlightRecorder(running.port)) };
}

/** Every AUTH command line the client sent, with its length in octets (CRLF included). */
function authLines(flights: readonly string[]): number[] {
  return flights
    .flatMap((flight) => flight.split('\r\n'))
    .filter((line) => /^AUTH /.test(line))
    .map((line) => Buffer.byteLength(line) + 2);
}

describe('an initial response that would make AUTH longer than 512 octets', () => {
  it('PLAIN: sent after an empty 334, and AUTH does not lead the envelope group', async () => {
    const { running, proxy } = await server();
    const result = await sendMail(
      sendOptions(proxy.port, { auth: { username: TEST_USERNAME, password: longPassword } }),
    );
    captureForHygiene('long PLAIN transcript', result.transcript.map((e) => e.text).join('\n'));
    expect(result.authMechanism).toBe('PLAIN');
    expect(running.received).toHaveLength(1);
    const flights = proxy.clientFlights();
    expect(authLines(flights)).toEqual(['AUTH PLAIN\r\n'.length]);
    expect(flights.find((flight) => flight.startsWith('AUTH'))).toBe('AUTH PLAIN\r\n');
  });

  it('XOAUTH2: a long token goes on its own line', async () => {
    const { running, proxy } = await server();
    const result = await sendMail(
      sendOptions(proxy.port, {
        auth: { username: TEST_USERNAME, password: longToken, mechanism: 'XOAUTH2' },
      }),
    );
    captureForHygiene('long XOAUTH2 transcript', result.transcript.map((e) => e.text).join('\n'));
    expect(result.authMechanism).toBe('XOAUTH2');
    expect(running.received).toHaveLength(1);
    expect(authLines(proxy.clientFlights())).toEqual(['AUTH XOAUTH2\r\n'.length]);
  });
});
