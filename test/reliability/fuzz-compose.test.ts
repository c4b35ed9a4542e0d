// Issue 6 part 4: the composer under arbitrary input in every field at once. It extends
// test/mime/compose-property.test.ts (fixed addresses, subject, bodies, attachments, quoted
// names): here the addresses, Cc, Reply-To, Bcc, custom headers, inline parts, content types and
// file names are arbitrary too. The result is a MimeInputError or a message that keeps the wire
// format, has exactly the intended header fields, each clean once unfolded, in every MIME
// entity, and that mailparser reads back to the input.
import fc from 'fast-check';
import { domainToUnicode } from 'node:url';
import type { AddressObject, ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { normaliseSubject } from '../../src/mime/header.js';
import {
  composeMessage,
  MimeInputError,
  parseAddressList,
  type MessageInput,
} from '../../src/mime/index.js';
import {
  fixedOptions,
  parseMessage,
  topHeaderNames,
  wireProblems,
} from '../mime/compose-helpers.js';
import { awkwardString, oneLine, useErrorCapture } from './arbitraries.js';
import { headerProblems, readEntities } from './message-fields.js';

const capture = useErrorCapture('fuzz-compose: composer errors');

const localPart = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}(\.[a-z0-9]{1,4})?$/),
  fc.constantFrom('josé', '瘍瘊', 'ci.bot', 'a+tag'),
);
const domain = fc.oneof(
  fc.domain(),
  fc.constantFrom('bücher.example', '瘍瘊.example', 'EXAMPLE.org', 'xn--bcher-kva.example'),
);
/** Usually `valid`, once in twenty times `hostile`: most inputs compose, every refusal is seen. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ weight: 19, arbitrary: valid }, { weight: 1, arbitrary: hostile });

/** Display names: plain words, any one-line text, or (rarely) hostile pieces. */
const displayName = mostly(
  fc.oneof(
    fc.constant(undefined),
    fc.stringMatching(/^[A-Za-z0-9]{1,8}( [A-Za-z0-9]{1,8}){0,2}$/),
    oneLine(fc.string({ unit: 'binary', maxLength: 30 })),
    oneLine(awkwardString(4)),
  ),
  awkwardString(4),
);

/** One entry as a user would type it: bare, `Name <a>` or (mostly) `"Name" <a>`. */
const entry = mostly(
  fc.tuple(displayName, localPart, domain, fc.nat(3)).map(([name, local, host, style]) => {
    const address = `${local}@${host}`;
    if (name === undefined) return address;
    return style > 0 ? `"${name.replace(/["\\]/g, '\\$&')}" <${address}>` : `${name} <${address}>`;
  }),
  awkwardString(5),
);

const addressList = fc
  .tuple(fc.array(entry, { maxLength: 3 }), fc.constantFrom(', ', ',', '\n', '\r\n'))
  .map(([entries, separator]) => entries.join(separator));

const headerName = mostly(
  fc.stringMatching(/^X-[A-Za-z0-9-]{1,16}$/),
  fc.constantFrom('List-Id', 'Bcc', 'Content-Type', 'Subject', 'X Bad', 'X:Bad', 'Received'),
);

const file = fc.record({
  filename: mostly(
    fc.oneof(awkwardString(4), fc.string({ unit: 'binary', maxLength: 40 })).map((n) => `${n}.txt`),
    awkwardString(4),
  ),
  content: fc.uint8Array({ maxLength: 200 }),
  contentType: fc.option(
    mostly(
      fc.constantFrom('text/plain', 'application/pdf', 'image/png'),
      fc.constantFrom('multipart/mixed', 'text/plain; charset=x', 'bad', ''),
    ),
    { nil: undefined },
  ),
});

const messageId = mostly(
  fc
    .tuple(localPart, fc.domain())
    .map(([left, right]) => `<${left.replace(/[^\x21-\x7e]/g, 'u')}@${right}>`),
  awkwardString(3),
);

const messageInput: fc.Arbitrary<MessageInput> = fc.record(
  {
    from: mostly(entry, addressList),
    to: addressList,
    cc: addressList,
    // A domain nothing else generates: finding it in the message would be a leaked Bcc.
    bcc: fc
      .array(
        localPart.map((local) => `${local}@hidden-bcc.test`),
        { maxLength: 2 },
      )
      .map((list) => list.join(', ')),
    replyTo: addressList,
    subject: awkwardString(10),
    text: awkwardString(10),
    html: awkwardString(10),
    attachments: fc.array(file, { maxLength: 3 }),
    inline: fc.array(
      fc.record({
        contentId: mostly(fc.stringMatching(/^[a-z0-9.]{1,10}$/), awkwardString(2)),
        content: fc.uint8Array({ maxLength: 100 }),
        filename: fc.option(
          mostly(
            awkwardString(3).map((n) => `${n}.png`),
            awkwardString(3),
          ),
          {
            nil: undefined,
          },
        ),
      }),
      { maxLength: 2 },
    ),
    headers: fc.array(fc.tuple(headerName, mostly(oneLine(awkwardString(6)), awkwardString(6))), {
      maxLength: 3,
    }),
    priority: fc.constantFrom('high', 'normal', 'low'),
    inReplyTo: messageId,
    references: fc.array(messageId, { maxLength: 2 }),
  },
  { requiredKeys: ['from'] },
);

/** The top-level fields this input must produce, and those it may produce besides. */
function intendedFields(input: MessageInput): { must: string[]; may: string[] } {
  const must = ['from', 'date', 'message-id', 'mime-version', 'auto-submitted', 'content-type'];
  const has = (list: string | undefined) => parseAddressList(list ?? '', 'x').length > 0;
  if (has(input.to)) must.push('to');
  if (has(input.cc)) must.push('cc');
  if (has(input.replyTo)) must.push('reply-to');
  if (input.subject !== undefined) must.push('subject');
  if (input.inReplyTo !== undefined) must.push('in-reply-to');
  if ((input.references ?? []).length > 0) must.push('references');
  if (input.priority !== undefined) must.push('x-priority', 'importance');
  must.push(...(input.headers ?? []).map(([name]) => name.toLowerCase()));
  // A message of one attachment and no body is that attachment, disposition and all.
  return { must, may: ['content-transfer-encoding', 'content-disposition'] };
}

/** mailparser shows an A-label domain as Unicode: compare domains in that form. */
function unicodeAddress(address = ''): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${domainToUnicode(address.slice(at + 1))}`;
}

function addresses(field: AddressObject | AddressObject[] | undefined) {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list
    .flatMap((object) => object.value)
    .map(({ address, name }) => ({ address: unicodeAddress(address), name }));
}

/** The mailboxes of `list` as mailparser reports them: `name` is '' when there is none. */
function expectedMailboxes(list: string | undefined) {
  return parseAddressList(list ?? '', 'x').map(({ address, name }) => ({
    address: unicodeAddress(address),
    name: name ?? '',
  }));
}

function checkReadBack(input: MessageInput, parsed: ParsedMail): void {
  expect(addresses(parsed.from)).toEqual(expectedMailboxes(input.from));
  expect(addresses(parsed.to)).toEqual(expectedMailboxes(input.to));
  expect(addresses(parsed.cc)).toEqual(expectedMailboxes(input.cc));
  expect(addresses(parsed.replyTo)).toEqual(expectedMailboxes(input.replyTo));
  if (input.subject !== undefined) {
    expect(parsed.subject ?? '').toBe(normaliseSubject(input.subject));
  }
  // A lone surrogate has no UTF-8 form: it arrives as U+FFFD, as from any UTF-8 encoder.
  const lf = (text: string) => text.replace(/\r\n|\r/g, '\n').replace(/\p{Cs}/gu, '\ufffd');
  if (input.text !== undefined && input.text !== '') {
    expect([lf(input.text), `${lf(input.text)}\n`]).toContain(lf(parsed.text ?? ''));
  }
  if (input.html !== undefined && input.html !== '') {
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect([lf(input.html), `${lf(input.html)}\n`]).toContain(lf(html));
  }
  const files = parsed.attachments.filter((a) => a.contentDisposition === 'attachment');
  const given = input.attachments ?? [];
  // mailparser reads an empty 7bit part before a boundary as CRLF (the same bytes as the last
  // part read as empty): the wire form is right (RFC 2046 5.1.1), so an empty input allows it.
  const read = files.map((a, i) =>
    given[i]?.content.length === 0 && a.content.equals(Buffer.from('\r\n')) ? [] : [...a.content],
  );
  expect(read).toEqual(given.map((a) => [...a.content]));
  // Names come back cleaned (controls, separators and bidi overrides as `_`); when two clean
  // names collide, deduplication renames one, which compose-property.test.ts covers.
  const names = given.map((a) => cleanFileName(a.filename));
  const taken = [...names, ...(input.inline ?? []).map((i) => cleanFileName(i.filename ?? ''))];
  if (new Set(taken.map((n) => n.toLowerCase())).size === taken.length) {
    expect(files.map((a) => a.filename)).toEqual(names);
  }
}

/** RFC 2231 parameter text as the composer promises to write a file name. */
function cleanFileName(name: string): string {
  return name
    .replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '_')
    .replace(/\p{Cs}/gu, '\ufffd')
    .trim();
}

describe('composeMessage on arbitrary input in every field', () => {
  it('refuses with MimeInputError or writes exactly the intended, clean fields (property, 150 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(messageInput, async (input) => {
        let bytes: Uint8Array;
        let envelope: string[];
        try {
          const message = composeMessage(input, fixedOptions());
          bytes = message.bytes;
          envelope = message.envelope.to;
        } catch (error) {
          capture(error);
          expect(error).toBeInstanceOf(MimeInputError);
          return;
        }
        expect(wireProblems(bytes)).toEqual([]);
        expect(headerProblems(bytes)).toEqual([]);
        const names = topHeaderNames(bytes);
        const { must, may } = intendedFields(input);
        expect([...names].sort()).toEqual(
          [...must, ...may.filter((name) => names.includes(name))].sort(),
        );
        expect(Buffer.from(bytes).includes('hidden-bcc.test')).toBe(false);
        const bcc = parseAddressList(input.bcc ?? '', 'bcc').map((m) => m.address);
        for (const address of bcc) expect(envelope).toContain(address);
        // Every part's own fields are clean too, and each entity has one Content-Type at most.
        for (const entity of readEntities(bytes)) {
          const types = entity.fields.filter((f) => f.name.toLowerCase() === 'content-type');
          expect(types.length).toBeLessThanOrEqual(1);
        }
        checkReadBack(input, await parseMessage(bytes));
      }),
      { numRuns: 150 },
    );
  });
});
