import { describe, expect, it } from 'vitest';
import { secretFormsOf } from '../../../src/smtp/auth/index.js';
import { redactSecrets } from '../../../src/smtp/redaction.js';
import { captureForHygiene, TEST_PASSWORD, TEST_USERNAME } from '../../helpers/hygiene.js';
import { assertNoSecrets } from '../../helpers/secrets.js';

const credentials = { username: TEST_USERNAME, password: TEST_PASSWORD };

describe('secretFormsOf', () => {
  it('lists the password, and the LOGIN, PLAIN and XOAUTH2 blobs as they go on the wire', () => {
    const forms = secretFormsOf(credentials);
    const { username, password } = credentials;
    expect(forms).toContain(password);
    expect(forms).toContain(Buffer.from(password).toString('base64'));
    expect(forms).toContain(Buffer.from(`\0${username}\0${password}`).toString('base64'));
    expect(forms).toContain(
      Buffer.from(`user=${username}\x01auth=Bearer ${password}\x01\x01`).toString('base64'),
    );
  });

  it('lists nothing for an empty password', () => {
    expect(secretFormsOf({ username: 'u', password: '' })).toEqual([]);
  });

  it('redacts the password from any blob it is part of, whatever its alignment', () => {
    const forms = secretFormsOf(credentials);
    for (const prefix of ['', 'a', 'ab', 'abc', 'authzid\0x\0']) {
      const blob = Buffer.from(`${prefix}${credentials.password}!trailing`).toString('base64');
      const redacted = redactSecrets(`535 unexpected token ${blob} in line`, forms);
      captureForHygiene('a reply after redactSecrets', redacted);
      assertNoSecrets(redacted, [credentials.password]);
      expect(redacted).toContain('[redacted]');
    }
  });
});

describe('redactSecrets', () => {
  it('replaces a longer secret before a shorter one inside it', () => {
    expect(redactSecrets('x abcdef y', ['cd', 'abcdef'])).toBe('x [redacted] y');
  });

  it('ignores empty secrets instead of redacting between every character', () => {
    expect(redactSecrets('text', [''])).toBe('text');
  });
});
