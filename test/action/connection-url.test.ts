// The connection-url input: what each form means, what is refused, and that no error ever
// quotes the URL or anything in it.
import { describe, expect, it } from 'vitest';
import { ActionInputError } from '../../src/action/action-input-error.js';
import { parseConnectionUrl, type ConnectionUrl } from '../../src/action/connection-url.js';
import { baseInputs, inputErrorOf, settingsOf } from './inputs-env.js';

describe('parseConnectionUrl', () => {
  const valid: [string, ConnectionUrl][] = [
    [
      'smtp://user:pass@smtp.example.com',
      { host: 'smtp.example.com', port: 587, tls: 'starttls', username: 'user', password: 'pass' },
    ],
    [
      'smtps://user:pass@smtp.example.com',
      { host: 'smtp.example.com', port: 465, tls: 'implicit', username: 'user', password: 'pass' },
    ],
    [
      'smtp://apikey:SG.abc@smtp.sendgrid.net:2525/',
      {
        host: 'smtp.sendgrid.net',
        port: 2525,
        tls: 'starttls',
        username: 'apikey',
        password: 'SG.abc',
      },
    ],
    [
      'SMTPS://ci%40example.com:p%40ss%3Aw%2Frd%25%20%C3%A9@mail.example.com:465',
      {
        host: 'mail.example.com',
        port: 465,
        tls: 'implicit',
        username: 'ci@example.com',
        password: 'p@ss:w/rd% é',
      },
    ],
    // An unencoded @ in the user and : in the password: the last @ ends the user info.
    [
      'smtp://ci@example.com:pa:ss@mail.example.com',
      {
        host: 'mail.example.com',
        port: 587,
        tls: 'starttls',
        username: 'ci@example.com',
        password: 'pa:ss',
      },
    ],
    [
      'smtp://relay.internal:25',
      { host: 'relay.internal', port: 25, tls: 'starttls', username: '', password: '' },
    ],
    [
      'smtps://u:p@[2001:db8::1]',
      { host: '2001:db8::1', port: 465, tls: 'implicit', username: 'u', password: 'p' },
    ],
    [
      'smtp://u:p@192.0.2.10:587',
      { host: '192.0.2.10', port: 587, tls: 'starttls', username: 'u', password: 'p' },
    ],
  ];

  it.each(valid)('%s', (raw, expected) => {
    expect(parseConnectionUrl(raw)).toEqual(expected);
  });

  // Each holds a distinctive password and user so the test can look for them in the message.
  const invalid: [string, string, RegExp][] = [
    ['not a URL', 'hunter2-secret at mail.example.com', /is not a URL/],
    ['credentials without a scheme', 'hunter2-user:hunter2-secret@mail.example.com', /scheme/],
    [
      'an http URL',
      'http://hunter2-user:hunter2-secret@mail.example.com',
      /smtp:\/\/ \(STARTTLS\)/,
    ],
    ['a submission scheme', 'submission://hunter2-user:hunter2-secret@mail.example.com', /scheme/],
    [
      'a path',
      'smtp://hunter2-user:hunter2-secret@mail.example.com/inbox',
      /path, query or fragment/,
    ],
    [
      'a query',
      'smtp://hunter2-user:hunter2-secret@mail.example.com?tls=1',
      /path, query or fragment/,
    ],
    [
      'a fragment',
      'smtp://hunter2-user:hunter2-secret@mail.example.com#x',
      /path, query or fragment/,
    ],
    [
      'a port out of range',
      'smtp://hunter2-user:hunter2-secret@mail.example.com:70000',
      /not a URL/,
    ],
    ['port 0', 'smtp://hunter2-user:hunter2-secret@mail.example.com:0', /port outside 1 to 65535/],
    ['no host', 'smtp://hunter2-user:hunter2-secret@', /no host|not a URL/],
    ['a user without a password', 'smtp://hunter2-user@mail.example.com', /no password/],
    ['a password without a user', 'smtp://:hunter2-secret@mail.example.com', /no user name/],
    [
      'a bad percent escape',
      'smtp://hunter2-user:hunter2-secret%zz@mail.example.com',
      /write % as %25/,
    ],
    [
      'a host with a space',
      'smtp://hunter2-user:hunter2-secret@mail%20example.com',
      /not a host name/,
    ],
    [
      'a host with an underscore-free bad char',
      'smtp://hunter2-user:hunter2-secret@mail!.example.com',
      /not a host name/,
    ],
  ];

  it.each(invalid)('refuses %s without quoting it', (_name, raw, says) => {
    let caught: unknown;
    try {
      parseConnectionUrl(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ActionInputError);
    const error = caught as ActionInputError;
    expect(error.input).toBe('connection-url');
    expect(error.message).toMatch(says);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('mail.example.com');
    expect(error.message).not.toContain(raw);
    // The URL parser's own error carries the input; it must not ride along as the cause.
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });
});

describe('connection-url in readSettings', () => {
  const noServer = { from: baseInputs.from ?? '', to: baseInputs.to ?? '' };

  it('becomes the server options, credentials and all', async () => {
    const settings = await settingsOf({
      ...noServer,
      'connection-url': 'smtps://ci%40example.com:s3cr%2Ft@mail.example.com',
      auth: 'plain',
      'ehlo-name': 'runner.example.com',
    });
    expect(settings.server).toEqual({
      host: 'mail.example.com',
      port: 465,
      tls: 'implicit',
      auth: { username: 'ci@example.com', password: 's3cr/t', mechanism: 'PLAIN' },
      ehloName: 'runner.example.com',
    });
    expect(settings.serverSource).toBe('connection-url');
  });

  it('accepts a tls input that agrees with the scheme', async () => {
    const settings = await settingsOf({
      ...noServer,
      'connection-url': 'smtp://u:p4ssword@mail.example.com:2525',
      tls: 'starttls',
    });
    expect(settings.server).toMatchObject({ port: 2525, tls: 'starttls' });
  });

  it.each([
    [{ server: 'smtp.example.com' }, 'server'],
    [{ port: '587' }, 'port'],
    [{ username: 'u', password: 'p4ssword' }, 'username, password'],
    [{ server: 'smtp.example.com', port: '25', username: 'u' }, 'server, port, username'],
  ])('cannot be combined with %o', async (extra, named) => {
    const error = await inputErrorOf({
      ...noServer,
      'connection-url': 'smtp://hunter2-user:hunter2-secret@mail.example.com',
      ...extra,
    });
    expect(error.input).toBe('connection-url');
    expect(error.message).toContain(`cannot be combined with ${named}:`);
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a tls input that contradicts the scheme, naming tls', async () => {
    const error = await inputErrorOf({
      ...noServer,
      'connection-url': 'smtp://hunter2-user:hunter2-secret@mail.example.com',
      tls: 'implicit',
    });
    expect(error.input).toBe('tls');
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses auth other than auto when the URL holds no credentials', async () => {
    const error = await inputErrorOf({
      ...noServer,
      'connection-url': 'smtp://relay.example.com',
      auth: 'login',
    });
    expect(error.input).toBe('auth');
  });
});
