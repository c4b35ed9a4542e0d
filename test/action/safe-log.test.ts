/**
 * Untrusted text must not be able to run a workflow command: what the runner would read as one
 * is any stdout line starting with `::` once leading whitespace is trimmed (CVE-2020-15228).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  escapeUntrustedInline,
  escapeUntrustedLines,
  printTranscript,
  printUntrusted,
  quoteUntrusted,
} from '../../src/action/safe-log.js';

/** Everything written to stdout while `body` runs, split into lines as the runner reads them. */
function captureStdout(body: () => void): string[] {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    body();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('').split(/\r?\n/).slice(0, -1);
}

afterEach(() => vi.restoreAllMocks());

const hostile = [
  '::set-output name=result::sent',
  '   ::add-mask::not-a-secret',
  '\t::error::injected',
  '220 ok\n::warning::after a line feed',
  '250 ok\r::notice::after a carriage return',
  '250 ok\r\n::stop-commands::guess',
  'text\u2028::debug::after a line separator',
  'colour \u001b[31mred\u001b[0m',
];

/** The lines the runner would treat as commands. */
function commandLines(lines: readonly string[]): string[] {
  return lines.filter((line) => line.trimStart().startsWith('::'));
}

/**
 * The runner's older command form, `##[name k=v;]data`, which it looks for ANYWHERE in a line
 * (actions/runner ActionCommand.TryParse uses IndexOf, not StartsWith): no prefix disarms it.
 */
const legacyCommands = [
  '##[set-output name=result;]sent',
  '250 ok ##[add-mask]not-a-secret',
  'x ##[stop-commands]guess',
  '##[error]fake annotation',
];

describe('printUntrusted', () => {
  it('prefixes every line and pauses commands with a random token around the block', () => {
    const lines = captureStdout(() => printUntrusted(hostile, 'S: '));
    const commands = commandLines(lines);
    expect(commands).toHaveLength(2);
    const token = /^::stop-commands::([0-9a-f-]{36})$/.exec(commands[0] ?? '')?.[1];
    expect(token).toBeDefined();
    expect(lines[0]).toBe(commands[0]);
    expect(lines.at(-1)).toBe(`::${token}::`);
    const body = lines.slice(1, -1);
    expect(body.every((line) => line.startsWith('S: '))).toBe(true);
    // Every line break inside an entry became a new prefixed line.
    expect(body).toContain('S: ::warning::after a line feed');
    expect(body).toContain('S: ::notice::after a carriage return');
    expect(body).toContain('S: ::debug::after a line separator');
    expect(body).toContain('S: colour \\u001b[31mred\\u001b[0m');
    expect(body).toHaveLength(hostile.length + 4);
  });

  it('uses a new token each time, whatever the text', () => {
    const tokens = [1, 2].map(() => captureStdout(() => printUntrusted(['same'], 'x| '))[0]);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it('refuses a prefix the runner would trim away or read as a command', () => {
    for (const prefix of ['', ' ', '\t', '  S: ', '::', ':x ']) {
      expect(() => printUntrusted(['a'], prefix)).toThrow(TypeError);
    }
  });

  it('disarms the legacy ##[ form, which the runner finds anywhere in a line', () => {
    const lines = captureStdout(() => printUntrusted(legacyCommands, 'S: '));
    const body = lines.slice(1, -1);
    expect(body).toHaveLength(legacyCommands.length);
    for (const line of body) expect(line).not.toContain('##[');
    expect(body[0]).toBe('S: ##\\u005bset-output name=result;]sent');
  });

  it('prints nothing for no lines', () => {
    expect(captureStdout(() => printUntrusted([], 'S: '))).toEqual([]);
  });
});

describe('printTranscript', () => {
  it('prints a collapsed group with C:, S: and * lines and no other command', () => {
    const lines = captureStdout(() =>
      printTranscript([
        { direction: 'server', text: '220 mx.test ::set-output name=a::b' },
        { direction: 'client', text: 'EHLO runner.example.com' },
        { direction: 'server', text: '::add-mask::x' },
        { direction: 'info', text: '[message: 42 octets]' },
      ]),
    );
    expect(lines[0]).toBe('::group::SMTP transcript');
    expect(lines.at(-1)).toBe('::endgroup::');
    expect(lines.slice(2, -2)).toEqual([
      'S: 220 mx.test ::set-output name=a::b',
      'C: EHLO runner.example.com',
      'S: ::add-mask::x',
      '*  [message: 42 octets]',
    ]);
    const commands = commandLines(lines.slice(1, -1));
    expect(commands[0]).toMatch(/^::stop-commands::/);
    expect(commands).toHaveLength(2);
  });
});

describe('quoteUntrusted', () => {
  it('quotes one value on one line that cannot start a command', () => {
    const quoted = quoteUntrusted('::error::x\n::warning::y\u2028z');
    expect(quoted).toBe('"::error::x\\n::warning::y\\u2028z"');
    expect(quoted.split('\n')).toHaveLength(1);
  });

  it('disarms the legacy ##[ form: the quote does not help against it', () => {
    for (const text of legacyCommands) {
      const quoted = quoteUntrusted(text);
      expect(quoted).not.toContain('##[');
      // Still the JSON string of the text: a reader (or JSON.parse) gets the text back.
      expect(JSON.parse(quoted)).toBe(text);
    }
  });

  it('shortens long values', () => {
    expect(quoteUntrusted('a'.repeat(50), 10)).toBe(`"${'a'.repeat(10)}…"`);
  });
});

describe('escapeUntrustedLines', () => {
  it('keeps the lines of an annotation, each escaped, and disarms ##[ anywhere', () => {
    const text = 'SMTP failed: 550 ##[set-output name=x;]y\r\nCheck \u001b[31mit\u2028now';
    expect(escapeUntrustedLines(text)).toBe(
      'SMTP failed: 550 ##\\u005bset-output name=x;]y\nCheck \\u001b[31mit\nnow',
    );
  });
});

/**
 * Bidirectional overrides and isolates (CVE-2021-42574, "Trojan Source") reorder what a person
 * sees: `Sent to dev@example.com <RLO>moc.live@` shows an address that is not in the text, and a
 * file name `report<RLO>fdp.exe` shows as `reportexe.pdf`. Log text from outside shows them.
 */
describe('bidirectional controls in untrusted text', () => {
  const bidi = [
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
  ];
  const text = `report${bidi.join('x')}fdp.exe`;
  const shown = (line: string) => bidi.every((char) => !line.includes(char));

  it('are shown as \\u escapes by every form', () => {
    expect(escapeUntrustedInline(text)).toBe(
      'report\\u202ax\\u202bx\\u202cx\\u202dx\\u202ex\\u2066x\\u2067x\\u2068x\\u2069fdp.exe',
    );
    expect(shown(escapeUntrustedLines(`a\n${text}`))).toBe(true);
    expect(shown(quoteUntrusted(text))).toBe(true);
    const lines = captureStdout(() => printUntrusted([text], 'eml| '));
    expect(lines[1]).toBe(`eml| ${escapeUntrustedInline(text)}`);
  });

  it('leave other right-to-left text alone', () => {
    expect(escapeUntrustedInline('שלום עולם مرحبا')).toBe('שלום עולם مرحبا');
  });
});
