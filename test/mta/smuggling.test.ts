// SMTP smuggling (CVE-2023-51764/5/6) against Postfix with `smtpd_forbid_bare_newline = reject`
// (config.sh): bodies full of end-of-data look-alikes and a smuggled second message arrive as
// exactly one message each, with the content intended, on the authenticated submission port and
// on the plain port. Our client must never send a bare CR or LF: Postfix would refuse the message.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMessage } from '../../src/mime/index.js';
import { sendMail, type SendMailOptions, type SendResult } from '../../src/smtp/index.js';
import { cleanupActionRuns, runAction } from '../helpers/action-run.js';
import { captureErrorForHygiene, captureForHygiene } from '../helpers/hygiene.js';
import {
  asStored,
  buildMessage,
  createToken,
  findDelivered,
  splitDelivered,
  waitForDelivery,
} from './maildir.js';
import { mtaLogin } from './mta-send.js';
import { mta, requireMta } from './mta-settings.js';
import { logLength, queueIdOf, readRejectionsSince, waitForSessionSummary } from './postfix-log.js';
import { runRawSession } from './raw-session.js';
import { asReadBack, asWireText, smugglingCases, type SmugglingCase } from './smuggling-cases.js';
import { submissionInputs } from './submission-inputs.js';

/** Our EHLO name, so that Postfix's log lines of this file's sessions can be told apart. */
const heloName = 'smuggling.smtp-notify.test';
/** Every token sent; none may reach the `other` mailbox, where a smuggled message would go. */
const tokens: string[] = [];
let logStart = 0;

type Port = 'submission' | 'plain';

function connection(port: Port): Pick<SendMailOptions, 'host' | 'port' | 'tls' | 'tlsOptions'> {
  const { host, ports, ca } = requireMta();
  if (port === 'plain') return { host, port: ports.plain, tls: 'none' };
  const tlsOptions = { ca, servername: 'mail.smtp-notify.test' };
  return { host, port: ports.submission, tls: 'starttls', tlsOptions };
}

/** Sends over `port` (with AUTH on submission); what a user could see goes to the hygiene check. */
async function send(port: Port, envelope: SendMailOptions['envelope'], message: Uint8Array) {
  const auth = port === 'submission' ? mtaLogin('auto') : undefined;
  try {
    const result = await sendMail({
      ...connection(port),
      auth,
      ehloName: heloName,
      envelope,
      message,
    });
    captureForHygiene(`smuggling: transcript over ${port}`, JSON.stringify(result.transcript));
    return result;
  } catch (error) {
    captureErrorForHygiene(`smuggling: error over ${port}`, error);
    throw error;
  }
}

/**
 * Postfix accepted the message at the final dot and the session carried exactly one MAIL, one
 * RCPT and one DATA, none refused: no second transaction was read out of the body.
 */
async function expectOneTransaction(result: SendResult): Promise<void> {
  expect(result.reply.code).toBe(250);
  expect(result.rejected).toEqual([]);
  const summary = await waitForSessionSummary(requireMta().maildir, queueIdOf(result.reply.lines));
  expect(summary).toMatch(/ mail=1 rcpt=1 data=1 /);
  expect(summary).not.toMatch(/=\d+\/\d+/);
}

async function sendComposed(port: Port, { bodyFor }: SmugglingCase) {
  const token = createToken();
  tokens.push(token);
  const body = bodyFor(token);
  const html = `<p>${body}</p>`;
  const composed = composeMessage({
    from: `Tester <${requireMta().user}>`,
    to: 'inbox@smtp-notify.test',
    subject: token,
    text: body,
    html,
  });
  const result = await send(port, composed.envelope, composed.bytes);
  return { token, body, html, composed, result };
}

async function sendRaw(port: Port, { bodyFor }: SmugglingCase) {
  const token = createToken();
  tokens.push(token);
  const body = bodyFor(token);
  const message = buildMessage(token, { body: [body] });
  const result = await send(
    port,
    { from: requireMta().user, to: ['inbox@smtp-notify.test'] },
    message,
  );
  return { token, body, message, result };
}

describe.skipIf(mta === undefined)('SMTP smuggling at Postfix (forbid_bare_newline)', () => {
  beforeAll(async () => {
    logStart = await logLength(requireMta().maildir);
  });
  afterAll(cleanupActionRuns);

  it('the control: Postfix refuses a bare LF written by a raw client, so these tests can fail', async () => {
    const { host, ports } = requireMta();
    const token = createToken();
    const replies = await runRawSession(host, ports.plain, [
      'EHLO raw-control.smtp-notify.test\r\n',
      'MAIL FROM:<tester@smtp-notify.test>\r\n',
      'RCPT TO:<inbox@smtp-notify.test>\r\n',
      'DATA\r\n',
      `Subject: ${token}\r\n\r\nbefore\n.\nafter\r\n.\r\n`,
      'QUIT\r\n',
    ]);
    expect(replies[5]).toMatch(/^550 5\.5\.2 .*bare <LF> received/);
  });

  it('the control: Postfix delivers a second message after an unstuffed CRLF . CRLF in a body', async () => {
    // What a client that forgot dot-stuffing (RFC 5321 4.5.2) would send: Postfix reads the
    // end of data inside the body and takes the rest as a second transaction. The check that
    // no message reaches the `other` mailbox is what would catch that.
    const { host, ports, maildir } = requireMta();
    const token = createToken();
    await runRawSession(host, ports.plain, [
      'EHLO raw-control.smtp-notify.test\r\n',
      'MAIL FROM:<tester@smtp-notify.test>\r\n',
      'RCPT TO:<inbox@smtp-notify.test>\r\n',
      'DATA\r\n',
      `Subject: ${token}\r\n\r\nbefore\r\n.\r\nMAIL FROM:<smuggler@smtp-notify.test>\r\n` +
        `RCPT TO:<other@smtp-notify.test>\r\nDATA\r\nSubject: smuggled ${token}\r\n\r\n.\r\n`,
      'QUIT\r\n',
    ]);
    const smuggled = await waitForDelivery(maildir, 'other', token);
    expect(smuggled.toString('latin1')).toContain(`Subject: smuggled ${token}`);
  });

  describe.each<Port>(['submission', 'plain'])('over the %s port', (port) => {
    it.each<SmugglingCase>(smugglingCases)(
      'a composed text + HTML body with $name arrives once, each line ending one line break',
      async (smugglingCase) => {
        const { token, body, html, composed, result } = await sendComposed(port, smugglingCase);
        await expectOneTransaction(result);

        const stored = await waitForDelivery(requireMta().maildir, 'inbox', token);
        const mail = await simpleParser(Buffer.from(splitDelivered(stored).rest, 'latin1'));
        expect(mail.messageId).toBe(composed.messageId);
        // composeMessage's normalisation: each CRLF, lone CR and lone LF is one line break.
        expect(mail.text).toBe(asReadBack(body));
        expect(mail.html).toBe(asReadBack(html));
      },
    );

    it.each<SmugglingCase>(smugglingCases)(
      'a raw body with $name through sendMail arrives once, each line ending made CRLF',
      async (smugglingCase) => {
        const { token, body, message, result } = await sendRaw(port, smugglingCase);
        await expectOneTransaction(result);

        const stored = await waitForDelivery(requireMta().maildir, 'inbox', token);
        // The DATA encoder's normalisation: what Postfix stored is the message with every line
        // ending made CRLF (LF in the Maildir), dots un-stuffed back to what was written.
        const wire = Buffer.from(asWireText(Buffer.from(message).toString('latin1')), 'latin1');
        expect(splitDelivered(stored).rest).toBe(asStored(wire));
        const mail = await simpleParser(Buffer.from(splitDelivered(stored).rest, 'latin1'));
        expect(mail.messageId).toBe(`<${token}@smtp-notify.test>`);
        // A single text part: the CRLF that closes its last line (RFC 5322 2.3) is part of it.
        expect(mail.text).toBe(`${asReadBack(body)}\n`);
      },
    );
  });

  it('the action (bundle) sends text and HTML body files holding every sequence as one message', async () => {
    const { maildir } = requireMta();
    const token = createToken();
    tokens.push(token);
    const body = smugglingCases.at(-1)?.bodyFor(token) ?? '';
    const run = await runAction({
      inputs: {
        ...submissionInputs(heloName),
        subject: 'smuggling through the bundle',
        'body-file': 'body.txt',
        'html-body-file': 'body.html',
      },
      files: { 'body.txt': body, 'body.html': `<p>${body}</p>` },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const messageId = run.outputs['message-id'] ?? '';
    const stored = await waitForDelivery(maildir, 'inbox', token);
    const mail = await simpleParser(Buffer.from(splitDelivered(stored).rest, 'latin1'));
    expect(mail.messageId).toBe(messageId);
    expect(mail.text).toBe(asReadBack(body));
    expect(mail.html).toContain(asReadBack(`<p>${body}</p>`));
    const queueId = queueIdOf([run.outputs.response ?? '']);
    expect(await waitForSessionSummary(maildir, queueId)).toMatch(/ mail=1 rcpt=1 data=1 /);
  });

  it('no smuggled message reached any mailbox, and Postfix refused nothing of ours', async () => {
    const { maildir } = requireMta();
    // A smuggled message would be queued in the same session as the real one; give the queue
    // manager time to deliver it anyway.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(tokens.length).toBe(2 * 2 * smugglingCases.length + 1);
    for (const token of tokens) {
      expect((await findDelivered(maildir, 'inbox', token)).length, token).toBe(1);
      expect((await findDelivered(maildir, 'other', token)).length, token).toBe(0);
    }
    expect(await readRejectionsSince(maildir, logStart, heloName)).toEqual([]);
  });
});
