/**
 * Test-only: an AuthChannel whose server is a script, for the faults a real server will not
 * produce (malformed base64, endless challenges, a server signature that does not match).
 */
import type { AuthChannel } from '../../../src/smtp/auth/index.js';
import type { Reply } from '../../../src/smtp/reply.js';

export interface ScriptedChannel extends AuthChannel {
  /** Each line the client sent, with the flag it sent it with. */
  readonly sent: { line: string; sensitive: boolean }[];
}

/** `answer` is called with each line the client sends and its index; it returns the reply. */
export function scriptChannel(answer: (line: string, index: number) => Reply): ScriptedChannel {
  const sent: { line: string; sensitive: boolean }[] = [];
  return {
    sent,
    send(line, sensitive) {
      sent.push({ line, sensitive });
      return Promise.resolve(answer(line, sent.length - 1));
    },
  };
}

/** A reply from a code and one line of text. */
export function reply(code: number, text = ''): Reply {
  return { code, lines: [text] };
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function fromBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

/** Awaits `promise`, expecting it to reject, and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Calls `action`, expecting it to throw, and returns what it threw. */
export function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected the call to throw, but it returned');
}
