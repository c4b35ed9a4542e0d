// readSettings on invalid server settings: the server, credentials, TLS, EHLO name and proxy.
// Each error names the input at fault, first in its message, and says what would be accepted.
import { describe, it } from 'vitest';
import { expectInvalid, type InvalidCase } from './inputs-env.js';

const serverCases: InvalidCase[] = [
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
];

describe('readSettings on invalid inputs', () => {
  it.each(serverCases)('$name -> $input', expectInvalid);
});
