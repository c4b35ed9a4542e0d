import { describe, expect, it } from 'vitest';
import { CramMd5Mechanism } from '../../../src/smtp/auth/index.js';
import { SmtpAuthError } from '../../../src/smtp/errors.js';
import { captureErrorForHygiene, TEST_PASSWORD, TEST_USERNAME } from '../../helpers/hygiene.js';
import { assertNoSecrets } from '../../helpers/secrets.js';
import { thrownBy } from './scripted-channel.js';

describe('CramMd5Mechanism (RFC 2195)', () => {
  const credentials = { username: 'tim', password: 'tanstaaftanstaaf' };

  it('answers the RFC 2195 2 example challenge with the published digest', () => {
    const mechanism = new CramMd5Mechanism(credentials);
    expect(mechanism.initialResponse()).toBeUndefined();
    const challenge = Buffer.from('<1896.697170952@postoffice.reston.mci.net>');
    const response = Buffer.from(mechanism.respond(challenge)).toString('utf8');
    expect(response).toBe('tim b913a602c7eda7a495b4e6e7334d3890');
    // The RFC shows the same exchange in base64 too.
    expect(Buffer.from(response).toString('base64')).toBe(
      'dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw',
    );
  });

  it('cancels on a second challenge', () => {
    const mechanism = new CramMd5Mechanism({ username: TEST_USERNAME, password: TEST_PASSWORD });
    mechanism.respond(Buffer.from('<1@example.test>'));
    const error = thrownBy(() => mechanism.respond(Buffer.from('<2@example.test>')));
    captureErrorForHygiene('a CRAM-MD5 mechanism error', error);
    expect(error).toBeInstanceOf(SmtpAuthError);
    assertNoSecrets(error.message, [TEST_PASSWORD]);
  });
});
