/**
 * Sending to the test MTA and reading what a failed send left behind: the options every test
 * starts from, so that each spells out only the port, TLS and AUTH it is about, and the evidence
 * that must never carry a secret.
 */
import { sendMail, type SendMailOptions } from '../../src/smtp/index.js';
import { buildMessage } from './maildir.js';
import { requireMta } from './mta-settings.js';

/** The choices a test makes about the connection; anything else in SendMailOptions may follow. */
export type MtaConnection = Pick<SendMailOptions, 'port' | 'tls'> & Partial<SendMailOptions>;

/** A send of `buildMessage(token)` from the test user to inbox@ over `connection`. */
export function mtaOptions(token: string, connection: MtaConnection): SendMailOptions {
  const { host, user } = requireMta();
  return {
    host,
    envelope: { from: user, to: ['inbox@smtp-notify.test'] },
    message: buildMessage(token),
    ...connection,
  };
}

/** A SASL mechanism the client knows, or `auto`. */
export type Mechanism = NonNullable<SendMailOptions['auth']>['mechanism'];

/** The test user's credentials with `mechanism`; `password` replaces the right one. */
export function mtaLogin(
  mechanism: Mechanism,
  password = requireMta().password,
): NonNullable<SendMailOptions['auth']> {
  return { username: requireMta().user, password, mechanism };
}

/** Sends, expecting the send to fail, and returns what it threw; a delivery fails the test. */
export async function catchSendError(options: SendMailOptions): Promise<unknown> {
  try {
    await sendMail(options);
  } catch (error) {
    return error;
  }
  throw new Error('expected the send to fail');
}

/** Every string a transcript or error must never carry, as is or in base64. */
export function secretsOf(user: string, password: string): string[] {
  return [password, `\0${user}\0${password}`];
}

/** All the text an error exposes: message, stack, and own fields (reply, command, transcript). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return [error.message, error.stack ?? '', JSON.stringify({ ...error })].join('\n');
}
