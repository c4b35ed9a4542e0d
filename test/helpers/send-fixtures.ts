/**
 * What the sendMail tests share: closing what a test started, the options of an ordinary send to
 * 127.0.0.1, and the scripted-server steps of an ordinary session, so that each test spells out
 * only the step or option it is about.
 */
import { afterEach, expect, onTestFinished } from 'vitest';
import {
  SmtpError,
  sendMail,
  type SendMailOptions,
  type ServerOptions,
  type Timeouts,
} from '../../src/smtp/index.js';
import { startScriptedServer, type Script, type ScriptedServer } from './scripted-server.js';

/** Anything a test starts and must close again: a server, a proxy, a flight recorder. */
export interface Closable {
  close(): Promise<void>;
}

/** Registers an afterEach in the calling file; the returned `defer` hands it what to close. */
export function useCleanups(): <T extends Closable>(resource: T) => T {
  let pending: Closable[] = [];
  afterEach(async () => {
    const closing = pending;
    pending = [];
    await Promise.all(closing.map((resource) => resource.close()));
  });
  return (resource) => {
    pending.push(resource);
    return resource;
  };
}

/** The message `contentAndDot` expects line by line. */
export const scriptedMessage = Buffer.from('Subject: t\r\n\r\nbody line\r\n');

/** Short enough that a server which stays silent on purpose fails its test within a second. */
export const testTimeouts: Readonly<Partial<Timeouts>> = Object.freeze({
  greeting: 300,
  command: 300,
  finalReply: 300,
  dataBlock: 300,
});

/** A plaintext server on 127.0.0.1:`port`, greeted as runner.example.com; `extra` wins. */
export function localServer(port: number, extra: Partial<ServerOptions> = {}): ServerOptions {
  return { host: '127.0.0.1', port, tls: 'none', ehloName: 'runner.example.com', ...extra };
}

/** A plaintext send of `scriptedMessage` from ci@ to dev@ with `testTimeouts`; `extra` wins. */
export function sendOptions(port: number, extra: Partial<SendMailOptions> = {}): SendMailOptions {
  return {
    ...localServer(port),
    envelope: { from: 'ci@example.com', to: ['dev@example.com'] },
    message: scriptedMessage,
    timeouts: testTimeouts,
    ...extra,
  };
}

/** Sends with `sendOptions(port, extra)`, which must fail with an SmtpError; returns it. */
export async function sendFailure(
  port: number,
  extra: Partial<SendMailOptions> = {},
): Promise<SmtpError> {
  const error = await sendMail(sendOptions(port, extra)).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SmtpError);
  return error as SmtpError;
}

/** The greeting, the client's EHLO, and `ehloReply` (the server's whole answer, as bytes). */
export function greetedWith(ehloReply: string): Script {
  return [{ send: '220 mx.test\r\n' }, { expect: /^EHLO / }, { send: ehloReply }];
}

/** Greeting and EHLO, answered with PIPELINING and 8BITMIME. */
export const greeted: Script = greetedWith('250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n');

/** The client's pipelined group: MAIL FROM ci@, a RCPT TO for each of `to` in order, DATA. */
export function envelopeGroupTo(...to: string[]): Script {
  return [
    { expect: /^MAIL FROM:<ci@example.com>/ },
    ...to.map((address) => ({ expect: `RCPT TO:<${address}>` })),
    { expect: 'DATA' },
  ];
}

/** The client's pipelined MAIL/RCPT/DATA group for the envelope `sendOptions` gives. */
export const envelopeGroup: Script = envelopeGroupTo('dev@example.com');

/** Greeting, EHLO with PIPELINING, and the client's MAIL/RCPT/DATA group read. */
export const pipelinedEnvelope: Script = [...greeted, ...envelopeGroup];

/** `scriptedMessage` as the client sends it after 354, then the final dot. */
export const contentAndDot: Script = [
  { expect: 'Subject: t' },
  { expect: '' },
  { expect: 'body line' },
  { expect: '.' },
];

/**
 * One whole transaction to `to`: the pipelined group, the server's `replies` to it as lines (one
 * for MAIL, one per RCPT, the last to DATA), then `scriptedMessage` and the dot. The reply to the
 * dot is the caller's, as is what follows.
 */
export function transactionTo(to: readonly string[], replies: readonly string[]): Script {
  return [
    ...envelopeGroupTo(...to),
    { send: replies.map((line) => `${line}\r\n`).join('') },
    ...contentAndDot,
  ];
}

/** Starts a scripted server that is closed when the calling test finishes, passed or failed. */
export async function scripted(script: Script): Promise<ScriptedServer> {
  const server = await startScriptedServer(script);
  onTestFinished(() => server.close());
  return server;
}
