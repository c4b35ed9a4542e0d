import { redactSecrets, redactedMark } from './redaction.js';
import { escapeUnprintable } from './reply-text.js';

/** Who a transcript entry comes from: the client, the server, or a note from the client itself. */
export type TranscriptDirection = 'client' | 'server' | 'info';

export interface TranscriptEntry {
  direction: TranscriptDirection;
  text: string;
}

/** A line the client sends, as the connection records it; `sensitive` lines are never stored. */
export interface TranscriptLine {
  text: string;
  sensitive?: boolean;
}

export interface TranscriptOptions {
  /** How many entries to keep; older ones are dropped first. */
  maxEntries?: number;
}

const defaultMaxEntries = 1_000;

/** `AUTH <mechanism>` keeps its first two words: which mechanism was tried helps a user. */
const authPrefix = /^AUTH[ \t]+[A-Za-z0-9_-]+/i;

/**
 * A bounded, redacted record of an SMTP conversation, for error reports and debug logs.
 *
 * Secrets never enter it: sensitive client lines are replaced when they are recorded, and every
 * string registered with `addSecret` is masked in every entry, including server lines, because
 * servers echo what they were given (a rejected user name, a malformed AUTH blob). The message
 * body is never recorded; the session notes its size in one `info` entry instead. Control
 * characters are shown as `\uXXXX` so an entry is always one printable line.
 */
export class Transcript {
  readonly #entries: TranscriptEntry[] = [];
  readonly #secrets = new Set<string>();
  readonly #maxEntries: number;
  #dropped = 0;

  constructor(options: TranscriptOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? defaultMaxEntries);
  }

  /** Records a line the client sent. */
  client(line: string, options: { sensitive?: boolean } = {}): void {
    this.#add('client', options.sensitive === true ? redactSensitiveLine(line) : line);
  }

  /** Records a line the server sent, e.g. `250-PIPELINING`. */
  server(line: string): void {
    this.#add('server', line);
  }

  /** Records a note from the client itself, e.g. `[message: 1234 octets]`. */
  info(text: string): void {
    this.#add('info', text);
  }

  /**
   * Registers a string to mask everywhere, in entries already recorded and in those to come.
   * Empty strings are ignored; one under 4 characters is masked wherever it stands as a whole
   * token (see redactSecrets), so that a one-letter password does not cut up every word.
   */
  addSecret(secret: string): void {
    if (secret === '' || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    for (const entry of this.#entries) entry.text = this.redact(entry.text);
  }

  /** Masks every registered secret in `text`. */
  redact(text: string): string {
    return redactSecrets(text, [...this.#secrets]);
  }

  /** The entries kept, oldest first. */
  get entries(): readonly TranscriptEntry[] {
    return this.#entries.map((entry) => ({ ...entry }));
  }

  /** How many old entries were dropped to keep within the bound. */
  get droppedCount(): number {
    return this.#dropped;
  }

  /** One line per entry: `C: ` for the client, `S: ` for the server and `* ` for notes. */
  format(): string {
    const prefix: Record<TranscriptDirection, string> = {
      client: 'C: ',
      server: 'S: ',
      info: '* ',
    };
    const lines = this.#entries.map((entry) => prefix[entry.direction] + entry.text);
    if (this.#dropped > 0) lines.unshift(`* [${this.#dropped} earlier entries dropped]`);
    return lines.join('\n');
  }

  #add(direction: TranscriptDirection, text: string): void {
    // Redact first: a secret may itself hold a control character (a tab in a password).
    const printable = escapeUnprintable(this.redact(text));
    this.#entries.push({ direction, text: printable });
    if (this.#entries.length > this.#maxEntries) {
      this.#entries.shift();
      this.#dropped += 1;
    }
  }
}

/** `AUTH PLAIN dGVzdA==` becomes `AUTH PLAIN [redacted]`; any other line becomes `[redacted]`. */
function redactSensitiveLine(line: string): string {
  const prefix = authPrefix.exec(line);
  return prefix === null ? redactedMark : `${prefix[0]} ${redactedMark}`;
}
