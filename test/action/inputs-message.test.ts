// readSettings on valid inputs beyond the server: numbers, booleans and enums, modes,
// addresses, templates and headers, attachments. What each input becomes; defaults are in
// inputs.test.ts.
import { describe, it } from 'vitest';
import { expectValid, messagePart, serverPart, type ValidCase } from './inputs-env.js';

/** attachments-max-size values and the bytes they mean: SI and IEC units in any case, or bytes. */
const sizes: [string, number][] = [
  ['500 KB', 500_000],
  ['10MiB', 10_485_760],
  ['25mb', 25_000_000],
  ['1.5 GiB', 1_610_612_736],
  ['123456', 123_456],
  ['100B', 100],
];

const messageCases: ValidCase[] = [
  // Numbers, booleans and enums.
  {
    name: 'retries 0 and timeout 1',
    inputs: { retries: '0', timeout: '1' },
    expected: { retries: 0, timeoutSeconds: 1 },
  },
  {
    name: 'retries 10 and timeout 3600',
    inputs: { retries: '10', timeout: '3600' },
    expected: { retries: 10, timeoutSeconds: 3600 },
  },
  {
    name: 'markdown false',
    inputs: { markdown: 'false' },
    expected: messagePart({ markdown: false }),
  },
  {
    name: 'markdown FALSE',
    inputs: { markdown: 'FALSE' },
    expected: messagePart({ markdown: false }),
  },
  {
    name: 'markdown True',
    inputs: { markdown: 'True' },
    expected: messagePart({ markdown: true }),
  },
  { name: 'thread true', inputs: { thread: 'true' }, expected: messagePart({ thread: true }) },
  { name: 'transcript true', inputs: { transcript: 'true' }, expected: { transcript: true } },
  {
    name: 'priority HIGH',
    inputs: { priority: 'HIGH' },
    expected: messagePart({ priority: 'high' }),
  },
  { name: 'priority low', inputs: { priority: 'low' }, expected: messagePart({ priority: 'low' }) },
  {
    name: 'on-rejected-recipient Warn',
    inputs: { 'on-rejected-recipient': 'Warn' },
    expected: { onRejectedRecipient: 'warn' },
  },
  {
    name: 'if-no-files-found ignore',
    inputs: { 'if-no-files-found': 'ignore' },
    expected: { attachments: { ifNoFilesFound: 'ignore' } },
  },
  {
    name: 'status Failure lowercased',
    inputs: { status: 'Failure' },
    expected: { status: 'failure' },
  },
  // Modes.
  {
    name: 'verify needs no addresses',
    inputs: { from: '', to: '', mode: 'verify' },
    expected: { mode: 'verify', ...messagePart({ from: '', to: '' }) },
  },
  {
    name: 'dry-run needs no server',
    inputs: { server: '', mode: 'dry-run' },
    expected: { mode: 'dry-run', server: undefined },
  },
  {
    name: 'mode DRY-RUN with a server',
    inputs: { mode: 'DRY-RUN' },
    expected: { mode: 'dry-run', ...serverPart({ host: 'smtp.example.com' }) },
  },
  // Addresses: commas and line breaks, blank lines ignored.
  {
    name: 'to as lines and commas',
    inputs: { to: 'a@example.com\n\nB <b@example.com>, c@example.com\r\n  d@example.com  ' },
    expected: messagePart({ to: 'a@example.com, B <b@example.com>, c@example.com, d@example.com' }),
  },
  {
    name: 'only bcc',
    inputs: { to: '', bcc: 'audit@example.com' },
    expected: messagePart({ to: '', bcc: 'audit@example.com' }),
  },
  {
    name: 'only cc',
    inputs: { to: '', cc: 'team@example.com' },
    expected: messagePart({ cc: 'team@example.com' }),
  },
  {
    name: 'from with a quoted name and reply-to',
    inputs: {
      from: '"CI, Builds" <ci@example.com>',
      'reply-to': 'dev@example.com\nops@example.com',
    },
    expected: messagePart({
      from: '"CI, Builds" <ci@example.com>',
      replyTo: 'dev@example.com, ops@example.com',
    }),
  },
  // Templates, headers, threading.
  {
    name: 'subject, body and html-body as templates',
    inputs: {
      subject: '{{ github.repository }}',
      body: 'Hi\n{{ status }}',
      'html-body': '<p>Hi</p>',
    },
    expected: messagePart({
      subject: { name: 'subject', text: '{{ github.repository }}' },
      body: { name: 'body', text: 'Hi\n{{ status }}' },
      htmlBody: { name: 'html-body', text: '<p>Hi</p>' },
    }),
  },
  {
    name: 'markdown with a body',
    inputs: { markdown: 'true', body: '# Hi' },
    expected: messagePart({ markdown: true, body: { text: '# Hi' } }),
  },
  {
    name: 'headers lines with blank lines and colons in values',
    inputs: {
      headers: 'X-Build: 42\n\nList-Id: CI <ci.example.com>\nX-Url:https://example.com/a:b',
    },
    expected: messagePart({
      headers: [
        ['X-Build', '42'],
        ['List-Id', 'CI <ci.example.com>'],
        ['X-Url', 'https://example.com/a:b'],
      ],
    }),
  },
  {
    name: 'in-reply-to without brackets',
    inputs: { 'in-reply-to': 'abc.123@mail.example.com' },
    expected: messagePart({ inReplyTo: '<abc.123@mail.example.com>' }),
  },
  {
    name: 'in-reply-to with brackets',
    inputs: { 'in-reply-to': '<x@y.example>' },
    expected: messagePart({ inReplyTo: '<x@y.example>' }),
  },
  // Attachments.
  {
    name: 'attachment patterns one per line, kept raw',
    inputs: { attachments: 'dist/*.zip\n\n  !dist/skip.zip\nreports/**/*.xml' },
    expected: { attachments: { patterns: ['dist/*.zip', '!dist/skip.zip', 'reports/**/*.xml'] } },
  },
  ...sizes.map(([size, maxBytes]): ValidCase => ({
    name: `max size ${size}`,
    inputs: { 'attachments-max-size': size },
    expected: { attachments: { maxBytes } },
  })),
  {
    name: 'vars kept raw',
    inputs: { vars: 'team: core\nowner: "@me"' },
    expected: { vars: 'team: core\nowner: "@me"' },
  },
];

describe('readSettings on valid inputs', () => {
  it.each(messageCases)('$name', expectValid);
});
