// readSettings on invalid message inputs: addresses, templates, extra headers and threading.
// Each error names the input at fault, first in its message, and says what would be accepted.
import { describe, expect, it } from 'vitest';
import { baseInputs, expectInvalid, inputErrorOf, type InvalidCase } from './inputs-env.js';

const messageCases: InvalidCase[] = [
  // Addresses, named by input.
  { name: 'from missing', inputs: { from: '' }, input: 'from', says: 'required in send mode' },
  { name: 'no recipient', inputs: { to: '' }, input: 'to', says: 'to, cc or bcc' },
  {
    name: 'no recipient in dry-run',
    inputs: { to: '', mode: 'dry-run' },
    input: 'to',
    says: 'dry-run',
  },
  { name: 'from without @', inputs: { from: 'ci.example.com' }, input: 'from', says: 'no @domain' },
  {
    name: 'from with two addresses',
    inputs: { from: 'a@example.com, b@example.com' },
    input: 'from',
    says: 'exactly one',
  },
  {
    name: 'to with a bad second entry',
    inputs: { to: 'a@example.com\nbad' },
    input: 'to',
    says: '"bad"',
  },
  { name: 'cc with a route', inputs: { cc: '<@relay:a@example.com>' }, input: 'cc', says: 'route' },
  { name: 'bcc with spaces', inputs: { bcc: 'a b@example.com' }, input: 'bcc', says: 'spaces' },
  {
    name: 'reply-to with an unclosed quote',
    inputs: { 'reply-to': '"Ops <ops@example.com>' },
    input: 'reply-to',
    says: 'not closed',
  },
  // Templates.
  {
    name: 'body and body-file',
    inputs: { body: 'x', 'body-file': 'mail.md' },
    input: 'body',
    says: 'body-file',
  },
  {
    name: 'html-body and html-body-file',
    inputs: { 'html-body': 'x', 'html-body-file': 'mail.html' },
    input: 'html-body',
    says: 'html-body-file',
  },
  {
    name: 'markdown with html-body',
    inputs: { markdown: 'true', body: '# x', 'html-body': '<p>x</p>' },
    input: 'markdown',
    says: 'Remove html-body',
  },
  {
    name: 'markdown with html-body-file',
    inputs: { markdown: 'true', 'html-body-file': 'x.html' },
    input: 'markdown',
    says: 'Remove html-body-file',
  },
  // Headers name the line.
  {
    name: 'header line without a colon',
    inputs: { headers: 'X-Ok: 1\nX-Broken 2' },
    input: 'headers',
    says: 'line 2',
  },
  {
    name: 'header name with a space',
    inputs: { headers: 'X Bad: 1' },
    input: 'headers',
    says: /line 1: .*RFC 5322 3\.6\.8/,
  },
  { name: 'header name empty', inputs: { headers: ': value' }, input: 'headers', says: 'line 1' },
  {
    name: 'header name non-ASCII',
    inputs: { headers: 'X-Ünicode: 1' },
    input: 'headers',
    says: 'not a header field name',
  },
  {
    name: 'header set by another input',
    inputs: { headers: 'subject: hi' },
    input: 'headers',
    says: 'subject input',
  },
  {
    name: 'header Content-Type',
    inputs: { headers: 'Content-Type: text/html' },
    input: 'headers',
    says: 'set by the action',
  },
  // Threading.
  {
    name: 'in-reply-to not a message id',
    inputs: { 'in-reply-to': 'not an id' },
    input: 'in-reply-to',
    says: '<id@domain>',
  },
  {
    name: 'in-reply-to two ids',
    inputs: { 'in-reply-to': '<a@x.example> <b@x.example>' },
    input: 'in-reply-to',
    says: '<id@domain>',
  },
];

describe('readSettings on invalid inputs', () => {
  it.each(messageCases)('$name -> $input', expectInvalid);

  it('reports an address error once, without the composer field prefix', async () => {
    const error = await inputErrorOf({ ...baseInputs, to: 'bad' });
    expect(error.message).toMatch(/^Input "to": "bad": the address has no @domain\./);
  });
});
