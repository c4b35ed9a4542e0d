import { describe, expect, it } from 'vitest';
import { LoginMechanism } from '../../../src/smtp/auth/index.js';
import { SmtpAuthError } from '../../../src/smtp/errors.js';
import { captureErrorForHygiene, TEST_PASSWORD, TEST_USERNAME } from '../../helpers/hygiene.js';
import { assertNoSecrets } from '../../helpers/secrets.js';
import { thrownBy } from './scripted-channel.js';

const credentials = { username: TEST_USERNAME, password: TEST_PASSWORD };
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const challenge = (prompt: string): Uint8Array => Buffer.from(prompt, 'utf8');

/** The error `action` throws, also handed to the suite's closing hygiene check. */
function failureOf(action: () => unknown): Error {
  const error = thrownBy(action);
  captureErrorForHygiene('a LOGIN mechanism error', error);
  return error;
}

describe('LoginMechanism', () => {
  it('has no initial response', () => {
    expect(new LoginMechanism(credentials).initialResponse()).toBeUndefined();
  });

  it.each([
    ['Username:', 'Password:'],
    ['User Name', 'Password'],
    ['username:', 'password:'],
    ['USERNAME:', 'PASSWORD:'],
    ['User Name:', 'Password'],
  ])('answers the prompts %j then %j', (userPrompt, passwordPrompt) => {
    const mechanism = new LoginMechanism(credentials);
    expect(text(mechanism.respond(challenge(userPrompt)))).toBe(credentials.username);
    expect(text(mechanism.respond(challenge(passwordPrompt)))).toBe(credentials.password);
  });

  it('cancels on a prompt it does not recognise, quoting the prompt but no secret', () => {
    const mechanism = new LoginMechanism(credentials);
    const error = failureOf(() => mechanism.respond(challenge('Token:')));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toContain('Token:');
    assertNoSecrets(error.message, [credentials.password]);
  });

  it('cancels when a prompt comes twice rather than answering in a loop', () => {
    const mechanism = new LoginMechanism(credentials);
    mechanism.respond(challenge('Username:'));
    mechanism.respond(challenge('Password:'));
    const error = failureOf(() => mechanism.respond(challenge('Password:')));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(/password twice/);
    assertNoSecrets(error.message, [credentials.password]);
  });

  it('quotes a hostile prompt without its control characters', () => {
    const mechanism = new LoginMechanism(credentials);
    const error = failureOf(() => mechanism.respond(challenge('Who\r\n::error::x')));
    // eslint-disable-next-line no-control-regex
    expect(error.message).not.toMatch(/[\x00-\x1f]/);
  });
});
