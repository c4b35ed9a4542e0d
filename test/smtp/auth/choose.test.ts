import { describe, expect, it } from 'vitest';
import {
  AUTH_MECHANISM_NAMES,
  chooseMechanism,
  createMechanism,
} from '../../../src/smtp/auth/index.js';
import { SmtpAuthError } from '../../../src/smtp/errors.js';
import { captureForHygiene, TEST_PASSWORD, TEST_USERNAME } from '../../helpers/hygiene.js';
import { thrownBy } from './scripted-channel.js';

describe('chooseMechanism', () => {
  it.each([
    [['LOGIN', 'PLAIN', 'CRAM-MD5', 'SCRAM-SHA-256'], 'SCRAM-SHA-256'],
    [['LOGIN', 'PLAIN', 'CRAM-MD5'], 'CRAM-MD5'],
    [['LOGIN', 'PLAIN'], 'PLAIN'],
    [['LOGIN'], 'LOGIN'],
    [['login', 'plain'], 'PLAIN'],
    [['XOAUTH2', 'LOGIN'], 'LOGIN'],
    [['SCRAM-SHA-1', 'GSSAPI', 'PLAIN'], 'PLAIN'],
  ])('auto picks the strongest of %j', (offered, expected) => {
    expect(chooseMechanism(offered, 'auto')).toBe(expected);
  });

  it('never picks XOAUTH2 by itself', () => {
    const error = thrownBy(() => chooseMechanism(['XOAUTH2', 'OAUTHBEARER'], 'auto'));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toContain('XOAUTH2, OAUTHBEARER');
  });

  it('takes an explicit mechanism the server offers, even a weaker one', () => {
    expect(chooseMechanism(['SCRAM-SHA-256', 'LOGIN'], 'LOGIN')).toBe('LOGIN');
    expect(chooseMechanism(['xoauth2'], 'XOAUTH2')).toBe('XOAUTH2');
  });

  it('refuses an explicit mechanism the server does not offer, naming what it offers', () => {
    const error = thrownBy(() => chooseMechanism(['PLAIN', 'LOGIN'], 'CRAM-MD5'));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error).toMatchObject({ phase: 'auth' });
    expect(error.message).toMatch(/does not offer the CRAM-MD5.*PLAIN, LOGIN/);
  });

  it('refuses when nothing is offered', () => {
    expect(() => chooseMechanism([], 'auto')).toThrow(/offers: none/);
  });
});

describe('createMechanism', () => {
  it.each(AUTH_MECHANISM_NAMES)('creates %s under its own name', (name) => {
    expect(createMechanism(name, { username: 'u', password: 'p' }).name).toBe(name);
  });

  it('keeps the credentials out of JSON and util.inspect', async () => {
    const { inspect } = await import('node:util');
    for (const name of AUTH_MECHANISM_NAMES) {
      const mechanism = createMechanism(name, { username: TEST_USERNAME, password: TEST_PASSWORD });
      const json = JSON.stringify(mechanism);
      const inspected = inspect(mechanism, { showHidden: true, depth: 5 });
      captureForHygiene(`JSON and util.inspect of a ${name} mechanism`, `${json}\n${inspected}`);
      expect(json).not.toContain(TEST_PASSWORD);
      expect(inspected).not.toContain(TEST_PASSWORD);
    }
  });
});
