import { describe, expect, it } from 'vitest';
import { PlainMechanism } from '../../../src/smtp/auth/index.js';
import { SmtpAuthError, SmtpInputError } from '../../../src/smtp/errors.js';
import { captureErrorForHygiene, TEST_PASSWORD, TEST_USERNAME } from '../../helpers/hygiene.js';
import { assertNoSecrets } from '../../helpers/secrets.js';
import { thrownBy } from './scripted-channel.js';

describe('PlainMechanism (RFC 4616)', () => {
  it('sends NUL authcid NUL passwd as the initial response, as in the RFC 4616 4 example', () => {
    const mechanism = new PlainMechanism({ username: 'tim', password: 'tanstaaftanstaaf' });
    const initial = mechanism.initialResponse();
    expect(Buffer.from(initial).toString('utf8')).toBe('\0tim\0tanstaaftanstaaf');
    expect(Buffer.from(initial).toString('base64')).toBe('AHRpbQB0YW5zdGFhZnRhbnN0YWFm');
  });

  it('encodes non-ASCII credentials as UTF-8', () => {
    const mechanism = new PlainMechanism({ username: 'jöhn', password: 'pässwörd€' });
    expect(Buffer.from(mechanism.initialResponse())).toEqual(
      Buffer.from('\0jöhn\0pässwörd€', 'utf8'),
    );
  });

  it('refuses a NUL inside the username or the password, without quoting them', () => {
    const withNul = `${TEST_PASSWORD}\0${TEST_PASSWORD}`;
    for (const credentials of [
      { username: `${TEST_USERNAME}\0admin`, password: TEST_PASSWORD },
      { username: TEST_USERNAME, password: withNul },
    ]) {
      const error = thrownBy(() => new PlainMechanism(credentials));
      captureErrorForHygiene('a PLAIN mechanism refusal', error);
      expect(error).toBeInstanceOf(SmtpInputError);
      assertNoSecrets(error.message, [TEST_PASSWORD, withNul]);
    }
  });

  it('cancels on a challenge, since PLAIN has no second step', () => {
    const mechanism = new PlainMechanism({ username: TEST_USERNAME, password: TEST_PASSWORD });
    const error = thrownBy(() => mechanism.respond(new Uint8Array(0)));
    captureErrorForHygiene('a PLAIN mechanism error', error);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(/PLAIN/);
    assertNoSecrets(error.message, [TEST_PASSWORD]);
  });
});
