// What the adviseOnFailure tests share: a plaintext server on loopback with short timeouts, the
// SmtpError a failed verifyConnection gives, and errors built from the replies a provider sends.
import { expect } from 'vitest';
import {
  SmtpAuthError,
  SmtpError,
  verifyConnection,
  type Reply,
  type ServerOptions,
} from '../../src/smtp/index.js';
import { localServer, testTimeouts } from '../helpers/send-fixtures.js';

/** The password every test configures; no advice may quote it. */
export const password = 'hunter2-correct-horse';

/** A plaintext server on 127.0.0.1:`port` with `testTimeouts`; `extra` wins. */
export function local(port: number, extra: Partial<ServerOptions> = {}): ServerOptions {
  return localServer(port, { timeouts: testTimeouts, ...extra });
}

/** Runs verifyConnection, which must fail with an SmtpError; returns it. */
export async function verifyFailure(options: ServerOptions): Promise<SmtpError> {
  const error = await verifyConnection(options).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SmtpError);
  return error as SmtpError;
}

/** A one-line reply, with the enhanced code (RFC 3463) taken from the text when it has one. */
export function reply(code: number, text: string): Reply {
  const enhanced = /^(\d\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
  return enhanced === undefined
    ? { code, lines: [text] }
    : { code, enhancedCode: enhanced, lines: [text] };
}

/** The error the client throws when the server refuses AUTH LOGIN with `code` and `text`. */
export function authError(code: number, text: string): SmtpAuthError {
  return new SmtpAuthError(`AUTH LOGIN failed: the server replied ${code} ${text}`, {
    phase: 'auth',
    command: 'AUTH LOGIN',
    reply: reply(code, text),
  });
}

/** Gmail's submission port with credentials: the host decides which provider's advice applies. */
export const gmail: ServerOptions = {
  host: 'smtp.gmail.com',
  port: 587,
  tls: 'starttls',
  auth: { username: 'ci@example.com', password },
};
