import { describe, expect, it } from 'vitest';
import { sendMail, SmtpError, SmtpInputError } from '../../src/smtp/index.js';
import {
  asStored,
  buildMessage,
  createToken,
  splitDelivered,
  waitForDelivery,
  wasDelivered,
} from './maildir.js';
import { mta, requireMta } from './mta-settings.js';

// What Postfix stores in the Maildir, compared with what the client sent. Sent over the
// authenticated submission port, as the action sends in practice.

function send(message: Uint8Array, to: string[]) {
  const { host, ports, user, password, ca } = requireMta();
  return sendMail({
    host,
    port: ports.submission,
    tls: 'starttls',
    tlsOptions: { ca, servername: 'mail.smtp-notify.test' },
    auth: { username: user, password, mechanism: 'auto' },
    ehloName: 'ci.smtp-notify.test',
    envelope: { from: user, to },
    message,
  });
}

describe.skipIf(mta === undefined)('delivery through Postfix to a Maildir', () => {
  it('stores the message byte for byte after the header fields Postfix prepends', async () => {
    const token = createToken();
    const message = buildMessage(token, {
      headers: [
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        'X-Folded: a header field value that goes on',
        '\tonto a second line (RFC 5322 2.2.3)',
      ],
      body: [
        'Grüße aus dem Test — UTF-8 in an 8bit body.',
        'Trailing spaces stay:   ',
        '',
        'x'.repeat(990),
        '\tA line that starts with a tab.',
        'From the start of a line (no mbox escaping in a Maildir).',
        '',
        '',
      ],
    });
    const result = await send(message, ['inbox@smtp-notify.test']);
    expect(result.reply.code).toBe(250);

    const delivered = splitDelivered(await waitForDelivery(requireMta().maildir, 'inbox', token));
    expect(delivered.rest).toBe(asStored(message));
    // Exactly the fields Postfix adds, so nothing of ours was taken for one of them.
    expect(delivered.prepended.map((field) => field.split(':')[0])).toEqual([
      'Return-Path',
      'X-Original-To',
      'Delivered-To',
      'Received',
    ]);
    expect(delivered.prepended[0]).toBe('Return-Path: <tester@smtp-notify.test>');
    expect(delivered.prepended[2]).toBe('Delivered-To: inbox@smtp-notify.test');
    expect(delivered.prepended[3]).toMatch(/^Received: from ci\.smtp-notify\.test /);
  });

  it('un-stuffs lines that start with a dot (RFC 5321 4.5.2)', async () => {
    const token = createToken();
    const body = ['.', '..', '.hidden', '..double', '. space', 'end.', '.'];
    const message = buildMessage(token, { body });
    await send(message, ['inbox@smtp-notify.test']);

    const delivered = splitDelivered(await waitForDelivery(requireMta().maildir, 'inbox', token));
    expect(delivered.rest).toBe(asStored(message));
    expect(delivered.rest.split('\n\n').slice(1).join('\n\n')).toBe(`${body.join('\n')}\n`);
  });

  it('delivers to the accepted recipient and reports the refused one with its 550 reply', async () => {
    const token = createToken();
    const message = buildMessage(token);
    const result = await send(message, ['nobody@smtp-notify.test', 'inbox@smtp-notify.test']);

    expect(result.accepted.map((entry) => entry.address)).toEqual(['inbox@smtp-notify.test']);
    expect(result.accepted[0]?.reply.code).toBe(250);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.address).toBe('nobody@smtp-notify.test');
    expect(result.rejected[0]?.reply.code).toBe(550);
    expect(result.rejected[0]?.reply.enhancedCode).toBe('5.1.1');
    expect(result.rejected[0]?.reply.lines.join(' ')).toMatch(/nobody@smtp-notify\.test/);
    expect(result.reply.code).toBe(250);

    const delivered = splitDelivered(await waitForDelivery(requireMta().maildir, 'inbox', token));
    expect(delivered.rest).toBe(asStored(message));
  });

  it('delivers one copy to each of two accepted mailboxes', async () => {
    const token = createToken();
    const message = buildMessage(token);
    const result = await send(message, ['inbox@smtp-notify.test', 'other@smtp-notify.test']);
    expect(result.accepted).toHaveLength(2);

    const { maildir } = requireMta();
    const inbox = splitDelivered(await waitForDelivery(maildir, 'inbox', token));
    const other = splitDelivered(await waitForDelivery(maildir, 'other', token));
    expect(inbox.rest).toBe(asStored(message));
    expect(other.rest).toBe(asStored(message));
    expect(other.prepended).toContain('Delivered-To: other@smtp-notify.test');
  });

  it('refuses a message over the advertised SIZE before DATA (RFC 1870)', async () => {
    const { messageSizeLimit, maildir } = requireMta();
    const token = createToken();
    const line = 'A'.repeat(76);
    const lineCount = Math.ceil(messageSizeLimit / (line.length + 2)) + 100;
    const message = buildMessage(token, { body: Array.from({ length: lineCount }, () => line) });
    expect(message.length).toBeGreaterThan(messageSizeLimit);

    const error = await send(message, ['inbox@smtp-notify.test']).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SmtpError);
    const smtpError = error as SmtpError;
    // Refused by the client from the SIZE value in Postfix's EHLO reply, before MAIL: the
    // 10 MB never go out.
    expect(smtpError).toBeInstanceOf(SmtpInputError);
    expect(smtpError.phase).toBe('mail');
    expect(smtpError.message).toContain(String(messageSizeLimit));
    expect(smtpError.transcript.some((entry) => entry.text.startsWith('MAIL FROM'))).toBe(false);
    expect(await wasDelivered(maildir, 'inbox', token)).toBe(false);
  });
});
