// Issue 6 part 5, end to end through the built action: a pull request title (the classic
// untrusted template value) carrying CR, LF, CRLF, NUL, U+2028, U+2029, U+0085, U+760D, U+760A
// and an encoded-word that decodes to CRLF + Bcc, rendered by src/template into the subject,
// the text body and the HTML body. The real server must see exactly the intended commands and
// recipient, the message exactly the intended header fields, and the title only as text.
import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-run.js';
import { serverInputs } from '../helpers/action-server.js';
import { expectNoInjectedCommands } from '../e2e/log-lines.js';
import { useActionServers } from '../e2e/per-test-server.js';
import { topHeaderNames } from '../mime/compose-helpers.js';
import { BREAKING, ENCODED_WORD_BCC, HOSTILE_CHARS } from './arbitraries.js';
import { COMPOSED_FIELDS, headerProblems } from './message-fields.js';

const startServer = useActionServers();

/** Each line break or control, followed by what a break-out would turn into a header. */
const breakingPart = BREAKING.map(
  (name, i) => `${HOSTILE_CHARS[name]}Bcc: evil${i}@evil.test`,
).join('');
const TITLE = `Fix \u760d\u760a ${ENCODED_WORD_BCC}${breakingPart}`;
/** The header kind collapses every line break and control into one space (src/template). */
const SUBJECT_TITLE = `Fix \u760d\u760a ${ENCODED_WORD_BCC}${BREAKING.map((_, i) => ` Bcc: evil${i}@evil.test`).join('')}`;

async function pullRequestEvent(title: string): Promise<{ name: string; payload: unknown }> {
  const fixture = new URL('../fixtures/events/pull_request.json', import.meta.url);
  const payload = JSON.parse(await readFile(fixture, 'utf8')) as {
    pull_request: Record<string, unknown>;
  };
  return {
    name: 'pull_request',
    payload: { ...payload, pull_request: { ...payload.pull_request, title } },
  };
}

describe('a hostile pull request title through the templates and the action', () => {
  it('stays inside the Subject and the bodies as text; nothing else reaches the server', async () => {
    const server = await startServer();
    const run = await runAction({
      event: await pullRequestEvent(TITLE),
      inputs: {
        ...serverInputs(server),
        subject: 'PR: {{ event.pull_request.title }}',
        body: 'Title: {{ event.pull_request.title }}\nEnd.',
        'html-body': '<p>{{ event.pull_request.title }}</p>',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expectNoInjectedCommands(run.stdout);
    expect(server.connections).toBe(1);
    expect(server.mailCommands).toBe(1);
    expect(server.received).toHaveLength(1);
    const received = server.received[0];
    expect(received?.to).toEqual(['dev@example.com']);
    const bytes = new Uint8Array(received?.data ?? []);
    expect(headerProblems(bytes)).toEqual([]);
    const names = topHeaderNames(bytes).filter((name) => !name.startsWith('content-'));
    expect([...names].sort()).toEqual([...COMPOSED_FIELDS].sort());

    const mail = await simpleParser(received?.data ?? Buffer.alloc(0));
    expect(mail.subject).toBe(`PR: ${SUBJECT_TITLE}`);
    expect(mail.headers.has('bcc')).toBe(false);
    // The bodies carry the title as text: the CJK characters whole, the encoded-word literal
    // (in HTML with `=` escaped, as the html filter does), every "Bcc:" only as body text.
    const html = typeof mail.html === 'string' ? mail.html : '';
    for (const [body, encodedWord] of [
      [mail.text ?? '', ENCODED_WORD_BCC],
      [html, ENCODED_WORD_BCC.replace(/=/g, '&#61;')],
    ] as const) {
      expect(body).toContain('\u760d\u760a');
      expect(body).toContain(encodedWord);
      expect(body).toContain('Bcc: evil0@evil.test');
    }
    expect(mail.text).toMatch(/^Title: Fix /);
    expect(mail.text).toMatch(/End\.\n?$/);
  });
});
