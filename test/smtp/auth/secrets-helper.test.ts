import { describe, expect, it } from 'vitest';
import { assertNoSecrets } from '../../helpers/secrets.js';

// The oracle used by every test in this folder must itself be able to fail.
describe('assertNoSecrets', () => {
  const secret = 'hunter2-is-my-password';

  it('passes on text without the secret', () => {
    expect(() => assertNoSecrets('535 5.7.8 Authentication failed', [secret])).not.toThrow();
  });

  it('fails on the secret as it is, without quoting it', () => {
    const error = (() => {
      try {
        assertNoSecrets(`bad password ${secret}`, [secret]);
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/secret #0 \(as is\)/);
    expect(error?.message).not.toContain(secret);
  });

  it.each(['', 'a', 'ab', '\0user\0', 'user=x\x01auth=Bearer '])(
    'fails on the secret inside a base64 blob after %j',
    (prefix) => {
      const blob = Buffer.from(`${prefix}${secret}\x01\x01`).toString('base64');
      expect(() => assertNoSecrets(`echo: ${blob}`, [secret])).toThrow(/base64/);
    },
  );

  it('refuses secrets too short to check', () => {
    expect(() => assertNoSecrets('anything', ['abc'])).toThrow(/too short/);
  });
});
