/**
 * RFC 5322 2.1.1: header lines SHOULD stay within 78 characters. Where the composer chooses the
 * split itself (encoded-words), nothing excuses a longer line, the first one included: it holds
 * `Name: ` and the first word, so that word must be sized for what is left of the line.
 */
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../src/mime/address.js';
import { HeaderBlock, normaliseSubject } from '../../src/mime/header.js';
import { composeMessage } from '../../src/mime/index.js';
import { fixedOptions, parseMessage, toText } from './compose-helpers.js';

/**
 * Lines over 78 characters that could have been shorter: a longer line is fine only when it is
 * `Name: ` plus one word, or a continuation holding one word (RFC 5322 2.2.3 folds only at white
 * space), and that word is not an encoded-word, whose length the composer chooses itself.
 */
function overlongLines(block: string): string[] {
  const oneWord = /^(?:[\x21-\x39\x3b-\x7e]+: |[ \t])(?!=\?[^ \t]*\?=$)[^ \t]+$/;
  return block.split('\r\n').filter((line) => line.length > 78 && !oneWord.test(line));
}

async function subjectOf(block: string): Promise<string | undefined> {
  return (await simpleParser(Buffer.from(`${block}\r\nx`))).subject;
}

describe('the first line of a header holding encoded-words', () => {
  it('sizes the first word of a subject for what follows "Subject: "', async () => {
    const subject = 'é'.repeat(60);
    const block = new HeaderBlock().setText('Subject', subject).toString();
    expect(block.split('\r\n')[0]).toMatch(/^Subject: =\?UTF-8\?[QB]\?/);
    expect(block.split('\r\n').map((line) => line.length > 78)).not.toContain(true);
    expect(await subjectOf(block)).toBe(subject);
  });

  it('keeps the RFC 2047 Q example on short lines', async () => {
    const subject = 'Déploiement réussi: 5 services mis à jour, 0 échec, durée totale 3 min 12 s';
    const block = new HeaderBlock().setText('Subject', subject).toString();
    expect(overlongLines(block)).toEqual([]);
    expect(block.startsWith('Subject: =?UTF-8?Q?D=C3=A9ploiement_')).toBe(true);
    expect(await subjectOf(block)).toBe(subject);
  });

  it('sizes an encoded display name for what follows "Reply-To: " or "To: "', async () => {
    for (const [field, name] of [
      ['Reply-To', 'Ж'.repeat(40)],
      ['To', 'José Garcia de la Fuente y Martinez, Oficina Central de Operaciones 2026'],
    ] as const) {
      const list = parseAddressList(`"${name}" <a@example.com>, b@example.com`, 'to');
      const block = new HeaderBlock().setAddresses(field, list).toString();
      expect(overlongLines(block), block).toEqual([]);
      const parsed = await simpleParser(Buffer.from(`${block}\r\nx`));
      const value = field === 'To' ? parsed.to : parsed.replyTo;
      const entries = Array.isArray(value) ? value.flatMap((v) => v.value) : value?.value;
      expect(entries?.[0]).toMatchObject({ name, address: 'a@example.com' });
    }
  });

  it('sizes the first word of an extra header for its longer name', () => {
    const block = new HeaderBlock().setText('X-Deployment-Environment', 'ü'.repeat(50)).toString();
    expect(overlongLines(block)).toEqual([]);
  });

  it('keeps every subject line within 78 unless one word fills it', async () => {
    const pieces = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom(' ', 'é', '€', '😀', '👍🏽', '=?', '?=', 'a'.repeat(70), 'x'.repeat(120)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 12 }), async (parts) => {
        const subject = normaliseSubject(parts.join(''));
        const block = new HeaderBlock().setText('Subject', subject).toString();
        expect(overlongLines(block)).toEqual([]);
        expect((await subjectOf(block)) ?? '').toBe(subject);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a composed message with long names and subject within 78 where it can', async () => {
    const message = composeMessage(
      {
        from: `"${'Ünïcödé Nämé '.repeat(5).trim()}" <ci@example.com>`,
        to: 'dev@example.com',
        replyTo: `"${'Ж'.repeat(30)}" <team@example.com>`,
        subject: '✅ '.repeat(40),
        text: 'x',
      },
      fixedOptions(),
    );
    const text = toText(message.bytes);
    expect(overlongLines(text.slice(0, text.indexOf('\r\n\r\n')))).toEqual([]);
    const parsed = await parseMessage(message.bytes);
    expect(parsed.subject).toBe(normaliseSubject('✅ '.repeat(40)));
    expect(parsed.from?.value[0]?.name).toBe('Ünïcödé Nämé '.repeat(5).trim());
  });
});
