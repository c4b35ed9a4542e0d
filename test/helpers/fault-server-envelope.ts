/**
 * The fault server's honest answers to EHLO, AUTH, MAIL, RCPT and DATA, with the session state
 * they depend on (RFC 5321 4.1.4: MAIL after EHLO, RCPT after MAIL, DATA after an accepted
 * RCPT; RFC 4954 6: no mail from a session whose AUTH failed).
 */
import { answerAuth, type AuthStep } from './fault-server-auth.js';
import { ok, type Answer, type FaultPlace } from './fault-server-faults.js';
import type { FaultServerOptions } from './fault-server.js';

const TERMINATOR = Buffer.from('\r\n.\r\n');

/**
 * Message content as it arrives, until CRLF "." CRLF (RFC 5321 4.1.1.4), whose first CRLF ends
 * the content's last line; an empty message is just "." CRLF. The search runs over the stream
 * CRLF + content, so that case needs no exception, and looks at each chunk once, with the last
 * 4 bytes before it, so that a large message costs linear time.
 */
export class ContentReader {
  readonly #chunks: Buffer[] = [];
  #tail = Buffer.from('\r\n');
  /** Length of CRLF + content so far. */
  #streamLength = 2;

  /** Content bytes received so far. */
  get length(): number {
    return this.#streamLength - 2;
  }

  /** Takes `bytes`; once the final dot came, the content and what followed the dot. */
  push(bytes: Buffer): { message: Buffer; rest: Buffer } | undefined {
    const window = Buffer.concat([this.#tail, bytes]);
    const found = window.indexOf(TERMINATOR);
    const windowStart = this.#streamLength - this.#tail.length;
    this.#chunks.push(bytes);
    this.#streamLength += bytes.length;
    if (found === -1) {
      this.#tail = Buffer.from(window.subarray(-4));
      return undefined;
    }
    const end = windowStart + found; // Stream offset of the CRLF before the dot = content end.
    const content = Buffer.concat(this.#chunks);
    return { message: content.subarray(0, end), rest: content.subarray(end + 3) };
  }
}

/** What the answers need of the connection they are sent on. */
export interface SessionHooks {
  secure: () => boolean;
  upgrade: () => void;
  startContent: () => void;
  expectSasl: (next: (line: string) => Answer) => void;
  end: () => void;
}

export class EnvelopeState {
  readonly #options: FaultServerOptions;
  #greeted = false;
  /** AUTH was tried on this connection and has not (yet) succeeded. */
  #unauthenticated = false;
  #sender: string | undefined;
  #recipients = 0;

  constructor(options: FaultServerOptions) {
    this.#options = options;
  }

  /** The mechanisms EHLO offers: PLAIN and LOGIN unless told otherwise. */
  get #mechanisms(): readonly string[] {
    return this.#options.authMechanisms ?? ['PLAIN', 'LOGIN'];
  }

  /** The right answer to a command line, and the step a fault may strike it at, if any. */
  answer(line: string, hooks: SessionHooks): { place?: FaultPlace; answer: Answer } {
    switch ((/^\S*/.exec(line)?.[0] ?? '').toUpperCase()) {
      case 'EHLO':
      case 'HELO':
        return { place: 'EHLO', answer: this.ehlo(hooks.secure()) };
      case 'STARTTLS':
        return { place: 'STARTTLS', answer: this.startTls(hooks.secure(), hooks.upgrade) };
      case 'AUTH':
        return { place: 'AUTH', answer: this.auth(line, hooks.expectSasl) };
      case 'MAIL':
        return { place: 'MAIL', answer: this.mail(line) };
      case 'RCPT':
        return { place: 'RCPT', answer: this.rcpt() };
      case 'DATA':
        return { place: 'DATA', answer: this.data(hooks.startContent) };
      case 'QUIT':
        return { place: 'QUIT', answer: ok('221 2.0.0 Bye', hooks.end) };
      case 'RSET':
        return { answer: this.rset() };
      case 'NOOP':
        return { answer: ok('250 2.0.0 OK') };
      default:
        return { answer: ok('500 5.5.2 Command not recognized') };
    }
  }

  /** Forgets the transaction; after STARTTLS (RFC 3207 4.2) also the EHLO. */
  reset(greeted: boolean): void {
    this.#greeted = greeted;
    this.#sender = undefined;
    this.#recipients = 0;
  }

  rset(): Answer {
    this.reset(this.#greeted);
    return ok('250 2.0.0 Reset');
  }

  ehlo(secure: boolean): Answer {
    const mechanisms = this.#mechanisms;
    const lines = ['fault.test greets you', '8BITMIME', 'SMTPUTF8', 'SIZE 52428800'];
    if (this.#options.pipelining !== false) lines.splice(1, 0, 'PIPELINING');
    if (!secure && this.#options.offerStartTls !== false) lines.push('STARTTLS');
    if (mechanisms.length > 0) lines.push(`AUTH ${mechanisms.join(' ')}`);
    const text = lines.map((line, i) => `250${i === lines.length - 1 ? ' ' : '-'}${line}`);
    return ok(text.join('\r\n'), () => this.reset(true));
  }

  startTls(secure: boolean, upgrade: () => void): Answer {
    if (secure) return ok('503 5.5.1 TLS already active');
    return ok('220 2.0.0 Ready to start TLS', upgrade);
  }

  /** The reply to `AUTH <mechanism> [initial]`; `onChallenge` learns what answers a 334. */
  auth(line: string, onChallenge: (next: (line: string) => Answer) => void): Answer {
    this.#unauthenticated = true;
    const [, mechanism = '', initial] = line.split(' ');
    if (!this.#mechanisms.includes(mechanism.toUpperCase()))
      return ok('504 5.5.4 Mechanism not offered');
    const answer = (step: AuthStep): Answer => {
      const next = step.next;
      if (next === undefined) return ok(step.text);
      return ok(step.text, () => onChallenge((response) => answer(next(response))));
    };
    return answer(answerAuth(mechanism.toUpperCase(), initial));
  }

  /** What the server actually sent to end an AUTH exchange (a fault may have replaced it). */
  authEnded(code: string): void {
    if (code === '235') this.#unauthenticated = false;
  }

  mail(line: string): Answer {
    if (!this.#greeted) return ok('503 5.5.1 EHLO first');
    if (this.#sender !== undefined) return ok('503 5.5.1 Sender already given');
    if (this.#unauthenticated) return ok('530 5.7.0 Authentication required');
    return ok('250 2.1.0 Sender OK', () => void (this.#sender = line));
  }

  rcpt(): Answer {
    if (this.#sender === undefined) return ok('503 5.5.1 MAIL first');
    return ok('250 2.1.5 Recipient OK', () => void (this.#recipients += 1));
  }

  /** The 250 to the final dot, numbered; `taken` records the message once it is sent. */
  dot(number: number, taken: () => void): Answer {
    return ok(`250 2.0.0 Ok: queued as FAULT${number}`, () => {
      taken();
      this.reset(true);
    });
  }

  data(startContent: () => void): Answer {
    if (this.#recipients === 0) return ok('554 5.5.1 No valid recipients');
    return ok('354 End data with <CR><LF>.<CR><LF>', startContent);
  }
}
