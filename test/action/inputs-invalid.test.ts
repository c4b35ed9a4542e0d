// readSettings on invalid inputs: each error names the input at fault, first in its message,
// and says what would be accepted.
import { describe, expect, it } from 'vitest';
import { baseInputs, inputErrorOf, type Inputs } from './inputs-env.js';

interface InvalidCase {
  name: string;
  inputs: Inputs;
  env?: NodeJS.ProcessEnv;
  /** The input the error must name. */
  input: string;
  /** Text the message must hold (what is accepted, or what to do). */
  says: string | RegExp;
}

const invalidCases: InvalidCase[] = [
  // Whole numbers: decimal digits only, in range.
  { name: 'retries two', inputs: { retries: 'two' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries 11', inputs: { retries: '11' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries -1', inputs: { retries: '-1' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries 1.5', inputs: { retries: '1.5' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries 0x2', inputs: { retries: '0x2' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries 2e0', inputs: { retries: '2e0' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries +2', inputs: { retries: '+2' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries -0', inputs: { retries: '-0' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries 1e1', inputs: { retries: '1e1' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries 0x10', inputs: { retries: '0x10' }, input: 'retries', says: 'from 0 to 10' },
  { name: 'retries 3 3', inputs: { retries: '3 3' }, input: 'retries', says: 'from 0 to 10' },
  {
    name: 'retries fullwidth 3',
    inputs: { retries: '３' },
    input: 'retries',
    says: 'from 0 to 10',
  },
  { name: 'timeout 1e3', inputs: { timeout: '1e3' }, input: 'timeout', says: 'from 1 to 3600' },
  { name: 'timeout 0', inputs: { timeout: '0' }, input: 'timeout', says: 'from 1 to 3600' },
  { name: 'timeout 3601', inputs: { timeout: '3601' }, input: 'timeout', says: 'from 1 to 3600' },
  { name: 'timeout 5m', inputs: { timeout: '5m' }, input: 'timeout', says: 'from 1 to 3600' },
  { name: 'port 0', inputs: { port: '0' }, input: 'port', says: 'from 1 to 65535' },
  { name: 'port 65536', inputs: { port: '65536' }, input: 'port', says: 'from 1 to 65535' },
  { name: 'port 587/tcp', inputs: { port: '587/tcp' }, input: 'port', says: 'from 1 to 65535' },
  // Booleans: YAML 1.2 core schema only.
  { name: 'markdown yes', inputs: { markdown: 'yes' }, input: 'markdown', says: 'true or false' },
  { name: 'markdown on', inputs: { markdown: 'on' }, input: 'markdown', says: 'true or false' },
  { name: 'markdown tRUE', inputs: { markdown: 'tRUE' }, input: 'markdown', says: 'true or false' },
  { name: 'markdown 1', inputs: { markdown: '1' }, input: 'markdown', says: 'true or false' },
  {
    name: 'tls-verify no',
    inputs: { 'tls-verify': 'no' },
    input: 'tls-verify',
    says: 'true or false',
  },
  { name: 'thread y', inputs: { thread: 'y' }, input: 'thread', says: 'true or false' },
  {
    name: 'transcript maybe',
    inputs: { transcript: 'maybe' },
    input: 'transcript',
    says: 'true or false',
  },
  // Enums list what they accept.
  { name: 'tls ssl', inputs: { tls: 'ssl' }, input: 'tls', says: 'auto, starttls, implicit, none' },
  {
    name: 'auth ntlm',
    inputs: { auth: 'ntlm', username: 'u', password: 'p4ssword' },
    input: 'auth',
    says: 'plain, login, cram-md5, scram-sha-256, xoauth2',
  },
  {
    name: 'priority urgent',
    inputs: { priority: 'urgent' },
    input: 'priority',
    says: 'high, normal, low',
  },
  {
    name: 'if-no-files-found fail',
    inputs: { 'if-no-files-found': 'fail' },
    input: 'if-no-files-found',
    says: 'warn, error, ignore',
  },
  {
    name: 'on-rejected-recipient ignore',
    inputs: { 'on-rejected-recipient': 'ignore' },
    input: 'on-rejected-recipient',
    says: 'fail, warn',
  },
  { name: 'mode test', inputs: { mode: 'test' }, input: 'mode', says: 'send, dry-run, verify' },
  // Sizes name their units.
  {
    name: 'max size 25 MBs',
    inputs: { 'attachments-max-size': '25 MBs' },
    input: 'attachments-max-size',
    says: 'KB, MB, GB, KiB, MiB or GiB',
  },
  {
    name: 'max size 0',
    inputs: { 'attachments-max-size': '0' },
    input: 'attachments-max-size',
    says: '25MB',
  },
  {
    name: 'max size lots',
    inputs: { 'attachments-max-size': 'lots' },
    input: 'attachments-max-size',
    says: 'byte count',
  },
  {
    name: 'max size 1.5 bytes',
    inputs: { 'attachments-max-size': '1.5' },
    input: 'attachments-max-size',
    says: 'byte count',
  },
  {
    name: 'max size -1MB',
    inputs: { 'attachments-max-size': '-1MB' },
    input: 'attachments-max-size',
    says: 'byte count',
  },
  // The server and its options.
  {
    name: 'server missing in send',
    inputs: { server: '' },
    input: 'server',
    says: 'required in send mode',
  },
  {
    name: 'server missing in verify',
    inputs: { server: '', mode: 'verify' },
    input: 'server',
    says: 'required in verify mode',
  },
  {
    name: 'server with a port',
    inputs: { server: 'smtp.gmail.com:587' },
    input: 'server',
    says: '"port" input',
  },
  {
    name: 'server as a URL',
    inputs: { server: 'smtps://smtp.gmail.com' },
    input: 'server',
    says: 'connection-url',
  },
  {
    name: 'server with a path',
    inputs: { server: 'smtp.example.com/x' },
    input: 'server',
    says: 'connection-url',
  },
  {
    name: 'server with a space',
    inputs: { server: 'smtp example.com' },
    input: 'server',
    says: 'not a host name',
  },
  {
    name: 'username without password',
    inputs: { username: 'ci' },
    input: 'password',
    says: 'username',
  },
  {
    name: 'password without username',
    inputs: { password: 'p4ssword' },
    input: 'username',
    says: 'password',
  },
  {
    name: 'auth plain without credentials',
    inputs: { auth: 'plain' },
    input: 'auth',
    says: 'needs credentials',
  },
  {
    name: 'password over tls none to a remote host',
    inputs: { tls: 'none', username: 'u', password: 'p4ssword' },
    input: 'tls',
    says: 'unencrypted',
  },
  {
    name: 'ehlo-name not qualified',
    inputs: { 'ehlo-name': 'runner' },
    input: 'ehlo-name',
    says: 'fully qualified',
  },
  {
    name: 'ehlo-name bare IP',
    inputs: { 'ehlo-name': '192.0.2.1' },
    input: 'ehlo-name',
    says: '[192.0.2.1]',
  },
  {
    name: 'tls-servername an IP',
    inputs: { 'tls-servername': '192.0.2.1' },
    input: 'tls-servername',
    says: 'DNS name',
  },
  {
    name: 'tls-ca a private key',
    inputs: { 'tls-ca': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' },
    input: 'tls-ca',
    says: 'BEGIN CERTIFICATE',
  },
  {
    name: 'proxy socks',
    inputs: { proxy: 'socks5://proxy.internal:1080' },
    input: 'proxy',
    says: 'http://',
  },
  {
    name: 'proxy not a URL',
    inputs: { proxy: 'proxy.internal:3128' },
    input: 'proxy',
    says: 'http://',
  },
  {
    // A URL parser drops tabs and line breaks (WHATWG URL, basic parser): the password used
    // would silently differ from the one given.
    name: 'connection-url with a line break in the password',
    inputs: { server: '', 'connection-url': 'smtps://u:pa\nss@mail.example.com' },
    input: 'connection-url',
    says: 'line break',
  },
  {
    name: 'proxy with a tab in the password',
    inputs: { proxy: 'http://squid:pa\tss@proxy.internal:3128' },
    input: 'proxy',
    says: 'line break',
  },
  {
    // The SMTP client percent-decodes the proxy's user and password for Proxy-Authorization.
    name: 'proxy password with a bad % escape',
    inputs: { proxy: 'http://squid:p%zz@proxy.internal:3128' },
    input: 'proxy',
    says: 'write % as %25',
  },
  {
    name: 'SMTP_PROXY not a URL',
    inputs: {},
    env: { SMTP_PROXY: 'nope' },
    input: 'proxy',
    says: 'from SMTP_PROXY',
  },
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
  it.each(invalidCases)('$name -> $input', async ({ inputs, env, input, says }) => {
    const error = await inputErrorOf({ ...baseInputs, ...inputs }, env);
    expect(error.input).toBe(input);
    expect(error.message.startsWith(`Input "${input}": `)).toBe(true);
    expect(error.message).toMatch(typeof says === 'string' ? new RegExp(escape(says)) : says);
  });

  it('words a bad number exactly as documented', async () => {
    const error = await inputErrorOf({ ...baseInputs, retries: 'two' });
    expect(error.message).toBe('Input "retries": "two" is not a whole number from 0 to 10.');
  });

  it('reports an address error once, without the composer field prefix', async () => {
    const error = await inputErrorOf({ ...baseInputs, to: 'bad' });
    expect(error.message).toMatch(/^Input "to": "bad": the address has no @domain\./);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
