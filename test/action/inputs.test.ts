// readSettings on valid inputs: what each input becomes, and what an absent one means.
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../src/action/settings.js';
import { testCa } from '../helpers/tls-fixtures.js';
import { baseInputs, settingsOf, type Inputs } from './inputs-env.js';

type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

describe('readSettings defaults', () => {
  it('fills in every default for the minimal send configuration', async () => {
    const settings = await settingsOf({ ...baseInputs, server: 'smtp.example.com' });
    expect(settings).toEqual({
      mode: 'send',
      server: { host: 'smtp.example.com', port: 587, tls: 'starttls' },
      tlsVerify: true,
      serverSource: 'inputs',
      timeoutSeconds: 300,
      retries: 2,
      message: {
        from: 'ci@example.com',
        to: 'dev@example.com',
        cc: '',
        bcc: '',
        replyTo: '',
        subject: undefined,
        body: undefined,
        htmlBody: undefined,
        markdown: false,
        headers: [],
        priority: 'normal',
        inReplyTo: undefined,
        thread: false,
      },
      attachments: { patterns: [], ifNoFilesFound: 'warn', maxBytes: 25_000_000 },
      vars: '',
      status: '',
      onRejectedRecipient: 'fail',
      transcript: false,
    } satisfies Settings);
  });

  it('reads inputs the way the runner names them: hyphens kept, value trimmed', async () => {
    const settings = await settingsOf(
      {},
      {
        INPUT_SERVER: '  smtp.example.com\n',
        INPUT_FROM: 'ci@example.com',
        INPUT_TO: 'dev@example.com',
        'INPUT_TLS-VERIFY': 'false',
        'INPUT_ON-REJECTED-RECIPIENT': 'warn',
        // A variable with underscores is not the input: the runner never writes it that way.
        INPUT_IF_NO_FILES_FOUND: 'error',
      },
    );
    expect(settings.server?.host).toBe('smtp.example.com');
    expect(settings.tlsVerify).toBe(false);
    expect(settings.onRejectedRecipient).toBe('warn');
    expect(settings.attachments.ifNoFilesFound).toBe('warn');
  });

  it('treats a blank input as absent', async () => {
    const settings = await settingsOf({ ...baseInputs, retries: '  ', markdown: '', tls: '\n' });
    expect(settings).toMatchObject({ retries: 2, message: { markdown: false } });
    expect(settings.server?.tls).toBe('starttls');
  });
});

interface ValidCase {
  name: string;
  inputs: Inputs;
  env?: NodeJS.ProcessEnv;
  expected: DeepPartial<Settings>;
}

const server = (expected: DeepPartial<NonNullable<Settings['server']>>) => ({ server: expected });
const message = (expected: DeepPartial<Settings['message']>) => ({ message: expected });

const validCases: ValidCase[] = [
  // TLS mode and port, each from the other (RFC 8314 3.3: 465 is implicit TLS).
  {
    name: 'port 465 under tls auto',
    inputs: { port: '465' },
    expected: server({ port: 465, tls: 'implicit' }),
  },
  {
    name: 'port 2525 under tls auto',
    inputs: { port: '2525' },
    expected: server({ port: 2525, tls: 'starttls' }),
  },
  {
    name: 'port 2465 under tls auto',
    inputs: { port: '2465' },
    expected: server({ tls: 'starttls' }),
  },
  {
    name: 'tls implicit alone',
    inputs: { tls: 'implicit' },
    expected: server({ port: 465, tls: 'implicit' }),
  },
  {
    name: 'tls STARTTLS in capitals',
    inputs: { tls: 'STARTTLS' },
    expected: server({ port: 587, tls: 'starttls' }),
  },
  {
    name: 'tls implicit on 587',
    inputs: { tls: 'implicit', port: '587' },
    expected: server({ port: 587, tls: 'implicit' }),
  },
  {
    name: 'tls none on 25',
    inputs: { tls: 'none', port: '25' },
    expected: server({ port: 25, tls: 'none' }),
  },
  { name: 'port with leading zeros', inputs: { port: '0465' }, expected: server({ port: 465 }) },
  {
    name: 'an IPv4 server',
    inputs: { server: '192.0.2.10' },
    expected: server({ host: '192.0.2.10' }),
  },
  {
    name: 'an IPv6 server in brackets',
    inputs: { server: '[2001:db8::1]' },
    expected: server({ host: '2001:db8::1' }),
  },
  { name: 'an IPv6 server bare', inputs: { server: '::1' }, expected: server({ host: '::1' }) },
  // Credentials and mechanisms.
  {
    name: 'username and password, auth auto',
    inputs: { username: 'ci@example.com', password: 'pa55word-xyz' },
    expected: server({
      auth: { username: 'ci@example.com', password: 'pa55word-xyz', mechanism: 'auto' },
    }),
  },
  {
    name: 'auth cram-md5 mapped to the client name',
    inputs: { username: 'u', password: 'p4ssword', auth: 'cram-md5' },
    expected: server({ auth: { mechanism: 'CRAM-MD5' } }),
  },
  {
    name: 'auth SCRAM-SHA-256 in capitals',
    inputs: { username: 'u', password: 'p4ssword', auth: 'SCRAM-SHA-256' },
    expected: server({ auth: { mechanism: 'SCRAM-SHA-256' } }),
  },
  {
    name: 'auth xoauth2 with the token as password',
    inputs: { username: 'u@example.com', password: 'ya29.token', auth: 'XOAuth2' },
    expected: server({ auth: { password: 'ya29.token', mechanism: 'XOAUTH2' } }),
  },
  {
    name: 'credentials over tls none to localhost',
    inputs: { server: 'localhost', tls: 'none', port: '25', username: 'u', password: 'p4ssword' },
    expected: server({ tls: 'none', auth: { username: 'u' } }),
  },
  // TLS settings.
  {
    name: 'tls-verify False',
    inputs: { 'tls-verify': 'False' },
    expected: {
      tlsVerify: false,
      ...server({ tlsOptions: { dangerouslyAcceptInvalidCertificates: true } }),
    },
  },
  { name: 'tls-verify TRUE', inputs: { 'tls-verify': 'TRUE' }, expected: { tlsVerify: true } },
  {
    name: 'tls-ca as PEM text and tls-servername',
    inputs: { server: '192.0.2.10', 'tls-ca': testCa, 'tls-servername': 'mail.smtp-notify.test' },
    expected: server({ tlsOptions: { ca: testCa.trim(), servername: 'mail.smtp-notify.test' } }),
  },
  {
    name: 'ehlo-name as an FQDN',
    inputs: { 'ehlo-name': 'runner.example.com' },
    expected: server({ ehloName: 'runner.example.com' }),
  },
  {
    name: 'ehlo-name as an address literal',
    inputs: { 'ehlo-name': '[192.0.2.1]' },
    expected: server({ ehloName: '[192.0.2.1]' }),
  },
  {
    name: 'ehlo-name as an IPv6 literal',
    inputs: { 'ehlo-name': '[IPv6:2001:db8::1]' },
    expected: server({ ehloName: '[IPv6:2001:db8::1]' }),
  },
  {
    name: 'proxy input',
    inputs: { proxy: 'http://proxy.internal:3128' },
    expected: server({ proxy: 'http://proxy.internal:3128' }),
  },
  {
    name: 'proxy from SMTP_PROXY',
    inputs: {},
    env: { SMTP_PROXY: 'http://proxy.internal:8080' },
    expected: server({ proxy: 'http://proxy.internal:8080' }),
  },
  {
    name: 'proxy input wins over SMTP_PROXY',
    inputs: { proxy: 'http://a.internal:1' },
    env: { SMTP_PROXY: 'http://b.internal:2' },
    expected: server({ proxy: 'http://a.internal:1' }),
  },
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
  { name: 'markdown false', inputs: { markdown: 'false' }, expected: message({ markdown: false }) },
  { name: 'markdown FALSE', inputs: { markdown: 'FALSE' }, expected: message({ markdown: false }) },
  { name: 'markdown True', inputs: { markdown: 'True' }, expected: message({ markdown: true }) },
  { name: 'thread true', inputs: { thread: 'true' }, expected: message({ thread: true }) },
  { name: 'transcript true', inputs: { transcript: 'true' }, expected: { transcript: true } },
  { name: 'priority HIGH', inputs: { priority: 'HIGH' }, expected: message({ priority: 'high' }) },
  { name: 'priority low', inputs: { priority: 'low' }, expected: message({ priority: 'low' }) },
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
    expected: { mode: 'verify', ...message({ from: '', to: '' }) },
  },
  {
    name: 'dry-run needs no server',
    inputs: { server: '', mode: 'dry-run' },
    expected: { mode: 'dry-run', server: undefined },
  },
  {
    name: 'mode DRY-RUN with a server',
    inputs: { mode: 'DRY-RUN' },
    expected: { mode: 'dry-run', ...server({ host: 'smtp.example.com' }) },
  },
  // Addresses: commas and line breaks, blank lines ignored.
  {
    name: 'to as lines and commas',
    inputs: { to: 'a@example.com\n\nB <b@example.com>, c@example.com\r\n  d@example.com  ' },
    expected: message({ to: 'a@example.com, B <b@example.com>, c@example.com, d@example.com' }),
  },
  {
    name: 'only bcc',
    inputs: { to: '', bcc: 'audit@example.com' },
    expected: message({ to: '', bcc: 'audit@example.com' }),
  },
  {
    name: 'only cc',
    inputs: { to: '', cc: 'team@example.com' },
    expected: message({ cc: 'team@example.com' }),
  },
  {
    name: 'from with a quoted name and reply-to',
    inputs: {
      from: '"CI, Builds" <ci@example.com>',
      'reply-to': 'dev@example.com\nops@example.com',
    },
    expected: message({
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
    expected: message({
      subject: { name: 'subject', text: '{{ github.repository }}' },
      body: { name: 'body', text: 'Hi\n{{ status }}' },
      htmlBody: { name: 'html-body', text: '<p>Hi</p>' },
    }),
  },
  {
    name: 'markdown with a body',
    inputs: { markdown: 'true', body: '# Hi' },
    expected: message({ markdown: true, body: { text: '# Hi' } }),
  },
  {
    name: 'headers lines with blank lines and colons in values',
    inputs: {
      headers: 'X-Build: 42\n\nList-Id: CI <ci.example.com>\nX-Url:https://example.com/a:b',
    },
    expected: message({
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
    expected: message({ inReplyTo: '<abc.123@mail.example.com>' }),
  },
  {
    name: 'in-reply-to with brackets',
    inputs: { 'in-reply-to': '<x@y.example>' },
    expected: message({ inReplyTo: '<x@y.example>' }),
  },
  // Attachments.
  {
    name: 'attachment patterns one per line, kept raw',
    inputs: { attachments: 'dist/*.zip\n\n  !dist/skip.zip\nreports/**/*.xml' },
    expected: { attachments: { patterns: ['dist/*.zip', '!dist/skip.zip', 'reports/**/*.xml'] } },
  },
  {
    name: 'max size 500 KB',
    inputs: { 'attachments-max-size': '500 KB' },
    expected: { attachments: { maxBytes: 500_000 } },
  },
  {
    name: 'max size 10MiB',
    inputs: { 'attachments-max-size': '10MiB' },
    expected: { attachments: { maxBytes: 10_485_760 } },
  },
  {
    name: 'max size 25mb',
    inputs: { 'attachments-max-size': '25mb' },
    expected: { attachments: { maxBytes: 25_000_000 } },
  },
  {
    name: 'max size 1.5 GiB',
    inputs: { 'attachments-max-size': '1.5 GiB' },
    expected: { attachments: { maxBytes: 1_610_612_736 } },
  },
  {
    name: 'max size in bytes',
    inputs: { 'attachments-max-size': '123456' },
    expected: { attachments: { maxBytes: 123_456 } },
  },
  {
    name: 'max size 100B',
    inputs: { 'attachments-max-size': '100B' },
    expected: { attachments: { maxBytes: 100 } },
  },
  {
    name: 'vars kept raw',
    inputs: { vars: 'team: core\nowner: "@me"' },
    expected: { vars: 'team: core\nowner: "@me"' },
  },
];

describe('readSettings on valid inputs', () => {
  it.each(validCases)('$name', async ({ inputs, env, expected }) => {
    const settings = await settingsOf({ ...baseInputs, ...inputs }, env);
    expect(settings).toMatchObject(expected);
  });

  it('leaves out the options that were not given', async () => {
    const settings = await settingsOf(baseInputs);
    expect(Object.keys(settings.server ?? {}).sort()).toEqual(['host', 'port', 'tls']);
  });

  it('ignores SMTP_PROXY when blank', async () => {
    const settings = await settingsOf(baseInputs, { SMTP_PROXY: '  ' });
    expect(settings.server?.proxy).toBeUndefined();
  });
});
