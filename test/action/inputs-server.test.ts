// readSettings on valid server settings: TLS mode and port, credentials and mechanisms, TLS
// options, EHLO name and proxy. What each input becomes; defaults are in inputs.test.ts.
import { describe, it } from 'vitest';
import { testCa } from '../helpers/tls-fixtures.js';
import { expectValid, serverPart, type ValidCase } from './inputs-env.js';

const serverCases: ValidCase[] = [
  // TLS mode and port, each from the other (RFC 8314 3.3: 465 is implicit TLS).
  {
    name: 'port 465 under tls auto',
    inputs: { port: '465' },
    expected: serverPart({ port: 465, tls: 'implicit' }),
  },
  {
    name: 'port 2525 under tls auto',
    inputs: { port: '2525' },
    expected: serverPart({ port: 2525, tls: 'starttls' }),
  },
  {
    name: 'port 2465 under tls auto',
    inputs: { port: '2465' },
    expected: serverPart({ tls: 'starttls' }),
  },
  {
    name: 'tls implicit alone',
    inputs: { tls: 'implicit' },
    expected: serverPart({ port: 465, tls: 'implicit' }),
  },
  {
    name: 'tls STARTTLS in capitals',
    inputs: { tls: 'STARTTLS' },
    expected: serverPart({ port: 587, tls: 'starttls' }),
  },
  {
    name: 'tls implicit on 587',
    inputs: { tls: 'implicit', port: '587' },
    expected: serverPart({ port: 587, tls: 'implicit' }),
  },
  {
    name: 'tls none on 25',
    inputs: { tls: 'none', port: '25' },
    expected: serverPart({ port: 25, tls: 'none' }),
  },
  {
    name: 'port with leading zeros',
    inputs: { port: '0465' },
    expected: serverPart({ port: 465 }),
  },
  {
    name: 'an IPv4 server',
    inputs: { server: '192.0.2.10' },
    expected: serverPart({ host: '192.0.2.10' }),
  },
  {
    name: 'an IPv6 server in brackets',
    inputs: { server: '[2001:db8::1]' },
    expected: serverPart({ host: '2001:db8::1' }),
  },
  { name: 'an IPv6 server bare', inputs: { server: '::1' }, expected: serverPart({ host: '::1' }) },
  // Credentials and mechanisms.
  {
    name: 'username and password, auth auto',
    inputs: { username: 'ci@example.com', password: 'pa55word-xyz' },
    expected: serverPart({
      auth: { username: 'ci@example.com', password: 'pa55word-xyz', mechanism: 'auto' },
    }),
  },
  {
    name: 'auth cram-md5 mapped to the client name',
    inputs: { username: 'u', password: 'p4ssword', auth: 'cram-md5' },
    expected: serverPart({ auth: { mechanism: 'CRAM-MD5' } }),
  },
  {
    name: 'auth SCRAM-SHA-256 in capitals',
    inputs: { username: 'u', password: 'p4ssword', auth: 'SCRAM-SHA-256' },
    expected: serverPart({ auth: { mechanism: 'SCRAM-SHA-256' } }),
  },
  {
    name: 'auth xoauth2 with the token as password',
    inputs: { username: 'u@example.com', password: 'ya29.token', auth: 'XOAuth2' },
    expected: serverPart({ auth: { password: 'ya29.token', mechanism: 'XOAUTH2' } }),
  },
  {
    name: 'credentials over tls none to localhost',
    inputs: { server: 'localhost', tls: 'none', port: '25', username: 'u', password: 'p4ssword' },
    expected: serverPart({ tls: 'none', auth: { username: 'u' } }),
  },
  // TLS settings.
  {
    name: 'tls-verify False',
    inputs: { 'tls-verify': 'False' },
    expected: {
      tlsVerify: false,
      ...serverPart({ tlsOptions: { dangerouslyAcceptInvalidCertificates: true } }),
    },
  },
  { name: 'tls-verify TRUE', inputs: { 'tls-verify': 'TRUE' }, expected: { tlsVerify: true } },
  {
    name: 'tls-ca as PEM text and tls-servername',
    inputs: { server: '192.0.2.10', 'tls-ca': testCa, 'tls-servername': 'mail.smtp-notify.test' },
    expected: serverPart({
      tlsOptions: { ca: testCa.trim(), servername: 'mail.smtp-notify.test' },
    }),
  },
  {
    name: 'ehlo-name as an FQDN',
    inputs: { 'ehlo-name': 'runner.example.com' },
    expected: serverPart({ ehloName: 'runner.example.com' }),
  },
  {
    name: 'ehlo-name as an address literal',
    inputs: { 'ehlo-name': '[192.0.2.1]' },
    expected: serverPart({ ehloName: '[192.0.2.1]' }),
  },
  {
    name: 'ehlo-name as an IPv6 literal',
    inputs: { 'ehlo-name': '[IPv6:2001:db8::1]' },
    expected: serverPart({ ehloName: '[IPv6:2001:db8::1]' }),
  },
  {
    name: 'proxy input',
    inputs: { proxy: 'http://proxy.internal:3128' },
    expected: serverPart({ proxy: 'http://proxy.internal:3128' }),
  },
  {
    name: 'proxy from SMTP_PROXY',
    inputs: {},
    env: { SMTP_PROXY: 'http://proxy.internal:8080' },
    expected: serverPart({ proxy: 'http://proxy.internal:8080' }),
  },
  {
    name: 'proxy input wins over SMTP_PROXY',
    inputs: { proxy: 'http://a.internal:1' },
    env: { SMTP_PROXY: 'http://b.internal:2' },
    expected: serverPart({ proxy: 'http://a.internal:1' }),
  },
];

describe('readSettings on valid inputs', () => {
  it.each(serverCases)('$name', expectValid);
});
