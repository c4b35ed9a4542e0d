import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseSubject } from '../../src/mime/header.js';
import { composeMessage, type AttachmentInput } from '../../src/mime/index.js';
import { fixedOptions, parseMessage, topHeaderNames, wireProblems } from './compose-helpers.js';

const EXPECTED_HEADERS = new Set([
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'auto-submitted',
  'content-type',
  'content-transfer-encoding',
]);

/** Text built from the pieces that break naive encoders. */
const awkwardText = fc
  .array(
    fc.oneof(
      fc.constantFrom('\r\n', '\n', '\r', '.', '..', 'From ', ' ', '\t', '=', '=?', '?=', '\u0000'),
      fc.constantFrom('\u2028', '\u760d', '\u760a', 'é', '€', '😀', '👩‍💻', 'x'.repeat(1000)),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 30 },
  )
  .map((pieces) => pieces.join(''));

/** File names without controls (those are replaced, tested elsewhere) or outer blanks. */
const fileName = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 40 })
  .filter((name) => !/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(name))
  .filter((name) => name.trim() === name && name !== '');

const attachments = fc
  .array(fc.record({ filename: fileName, content: fc.uint8Array({ maxLength: 300 }) }), {
    maxLength: 3,
  })
  // A distinct prefix keeps names unique, so they come back exactly as given.
  .map((list): AttachmentInput[] => list.map((a, i) => ({ ...a, filename: `${i}-${a.filename}` })));

/** Line endings as mailparser returns them: LF. */
const lf = (text: string) => text.replace(/\r\n|\r/g, '\n');

describe('composeMessage properties', () => {
  it('gives back subject, bodies and attachments; keeps the wire format; adds no header', async () => {
    await fc.assert(
      fc.asyncProperty(
        awkwardText,
        // mailparser reads an empty part as absent or as "\n"; empty bodies are tested by example.
        awkwardText.filter((t) => t !== ''),
        awkwardText.filter((t) => t !== ''),
        attachments,
        async (subject, text, html, files) => {
          const message = composeMessage(
            {
              from: 'ci@example.com',
              to: 'dev@example.com',
              subject,
              text,
              html,
              attachments: files,
            },
            fixedOptions(),
          );
          expect(wireProblems(message.bytes)).toEqual([]);
          expect(message.bytes.every((byte) => byte < 0x80)).toBe(true);
          for (const name of topHeaderNames(message.bytes))
            expect(EXPECTED_HEADERS).toContain(name);
          const parsed = await parseMessage(message.bytes);
          expect(parsed.subject ?? '').toBe(normaliseSubject(subject));
          expect(lf(parsed.text ?? '')).toBe(lf(text));
          expect(lf(typeof parsed.html === 'string' ? parsed.html : '')).toBe(lf(html));
          expect(parsed.attachments.map((a) => a.filename)).toEqual(files.map((f) => f.filename));
          parsed.attachments.forEach((a, i) => {
            expect([...a.content]).toEqual([...(files[i]?.content ?? [])]);
          });
        },
      ),
      { numRuns: 120 },
    );
  });

  it('gives back display names, quoted as a user would type them', async () => {
    const name = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 40 })
      .filter((n) => !/[\p{Cc}\u2028\u2029]/u.test(n) && n.trim() === n && n !== '');
    await fc.assert(
      fc.asyncProperty(name, name, async (fromName, toName) => {
        const quote = (n: string) => `"${n.replace(/["\\]/g, '\\$&')}"`;
        const message = composeMessage(
          {
            from: `${quote(fromName)} <ci@example.com>`,
            to: `${quote(toName)} <dev@example.com>, other@example.com`,
            text: 'x',
          },
          fixedOptions(),
        );
        expect(wireProblems(message.bytes)).toEqual([]);
        const parsed = await parseMessage(message.bytes);
        expect(parsed.from?.value).toEqual([{ address: 'ci@example.com', name: fromName }]);
        expect(parsed.to).toMatchObject({
          value: [
            { address: 'dev@example.com', name: toName },
            { address: 'other@example.com', name: '' },
          ],
        });
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a single text part intact but for the final line break it may add', async () => {
    await fc.assert(
      fc.asyncProperty(awkwardText, async (text) => {
        const message = composeMessage(
          { from: 'ci@example.com', to: 'dev@example.com', text },
          fixedOptions(),
        );
        expect(wireProblems(message.bytes)).toEqual([]);
        const parsed = lf((await parseMessage(message.bytes)).text ?? '');
        expect([lf(text), `${lf(text)}\n`]).toContain(parsed);
      }),
      { numRuns: 120 },
    );
  });

  it('is deterministic for the same input, clock and random source', () => {
    fc.assert(
      fc.property(awkwardText, attachments, fc.nat(1000), (text, files, seed) => {
        const input = { from: 'a@example.com', to: 'b@example.com', text, attachments: files };
        const first = composeMessage(input, fixedOptions(seed)).bytes;
        const second = composeMessage(input, fixedOptions(seed)).bytes;
        expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
