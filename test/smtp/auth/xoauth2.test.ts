import { describe, expect, it } from 'vitest';
import { Xoauth2Mechanism } from '../../../src/smtp/auth/index.js';
import { SmtpAuthError, SmtpInputError } from '../../../src/smtp/errors.js';
import {
  captureErrorForHygiene,
  captureForHygiene,
  TEST_TOKEN,
  TEST_USERNAME,
} from '../../helpers/hygiene.js';
import { assertNoSecrets } from '../../helpers/secrets.js';
import { thrownBy } from './scripted-channel.js';

const token = TEST_TOKEN;
const credentials = { username: TEST_USERNAME, password: token };

/** The error `action` throws, also handed to the suite's closing hygiene check. */
function failureOf(action: () => unknown): Error {
  const error = thrownBy(action);
  captureErrorForHygiene('an XOAUTH2 mechanism error', error);
  return error;
}

describe('Xoauth2Mechanism', () => {
  it('sends user=, auth=Bearer and the ^A separators as the initial response', () => {
    const initial = new Xoauth2Mechanism(credentials).initialResponse();
    expect(Buffer.from(initial).toString('utf8')).toBe(
      `user=${TEST_USERNAME}\x01auth=Bearer ${token}\x01\x01`,
    );
  });

  it('answers the JSON error challenge with an empty response and reports its status', () => {
    const mechanism = new Xoauth2Mechanism(credentials);
    const json = '{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}';
    expect(mechanism.respond(Buffer.from(json))).toHaveLength(0);
    const failure = mechanism.describeFailure();
    captureForHygiene('the XOAUTH2 failure description', failure ?? '');
    expect(failure).toContain('status 401');
    expect(failure).toContain('schemes bearer');
    expect(failure).toContain('scope https://mail.google.com/');
    assertNoSecrets(failure ?? '', [token]);
  });

  it('still answers empty when the challenge is not JSON, and says the status is unknown', () => {
    const mechanism = new Xoauth2Mechanism(credentials);
    expect(mechanism.respond(Buffer.from('not json'))).toHaveLength(0);
    expect(mechanism.describeFailure()).toBe('XOAUTH2 status unknown');
  });

  it('reports nothing when there was no challenge', () => {
    expect(new Xoauth2Mechanism(credentials).describeFailure()).toBeUndefined();
  });

  it('strips control characters from the status it quotes', () => {
    const mechanism = new Xoauth2Mechanism(credentials);
    mechanism.respond(Buffer.from(JSON.stringify({ status: '400\n::error::x' })));
    expect(mechanism.describeFailure()).not.toContain('\n');
  });

  it('cancels on a second challenge', () => {
    const mechanism = new Xoauth2Mechanism(credentials);
    mechanism.respond(Buffer.from('{}'));
    expect(failureOf(() => mechanism.respond(Buffer.from('{}')))).toBeInstanceOf(SmtpAuthError);
  });

  it('refuses a ^A in the username or token, which would forge a field', () => {
    const error = failureOf(
      () => new Xoauth2Mechanism({ username: 'a', password: `${token}\x01auth=x` }),
    );
    expect(error).toBeInstanceOf(SmtpInputError);
    assertNoSecrets(error.message, [token]);
  });
});
