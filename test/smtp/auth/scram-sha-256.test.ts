import { describe, expect, it } from 'vitest';
import {
  ScramSha256Mechanism,
  authenticate,
  prepareSaslString,
} from '../../../src/smtp/auth/index.js';
import { SmtpAuthError, SmtpInputError } from '../../../src/smtp/errors.js';
import { captureErrorForHygiene, TEST_PASSWORD, TEST_USERNAME } from '../../helpers/hygiene.js';
import { assertNoSecrets } from '../../helpers/secrets.js';
import {
  base64,
  fromBase64,
  rejectionOf,
  reply,
  scriptChannel,
  thrownBy,
} from './scripted-channel.js';

// RFC 7677 3: the SCRAM-SHA-256 example exchange.
const CLIENT_NONCE = 'rOprNGfwEbeRWgbNEkqO';
const CLIENT_FIRST = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const SERVER_FIRST =
  'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';
// The same signature with its first character changed.
const TAMPERED_FINAL = 'v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (data: Uint8Array | undefined): string => Buffer.from(data ?? []).toString('utf8');

function rfcMechanism(password = 'pencil', username = 'user'): ScramSha256Mechanism {
  return new ScramSha256Mechanism({ username, password }, { createNonce: () => CLIENT_NONCE });
}

describe('ScramSha256Mechanism on the RFC 7677 example', () => {
  it('produces client-first and client-final byte for byte and accepts the server signature', () => {
    const mechanism = rfcMechanism();
    expect(text(mechanism.initialResponse())).toBe(CLIENT_FIRST);
    expect(text(mechanism.respond(bytes(SERVER_FIRST)))).toBe(CLIENT_FINAL);
    expect(mechanism.respond(bytes(SERVER_FINAL))).toHaveLength(0);
    expect(() => mechanism.verifySuccess(undefined)).not.toThrow();
  });

  it('accepts the server-final carried after 235 instead of in a challenge', () => {
    const mechanism = rfcMechanism();
    mechanism.initialResponse();
    mechanism.respond(bytes(SERVER_FIRST));
    expect(() => mechanism.verifySuccess(bytes(SERVER_FINAL))).not.toThrow();
  });

  it('refuses a tampered server signature', () => {
    const mechanism = rfcMechanism();
    mechanism.initialResponse();
    mechanism.respond(bytes(SERVER_FIRST));
    const error = thrownBy(() => mechanism.respond(bytes(TAMPERED_FINAL)));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(/server signature is wrong/);
    // Nor may a later 235 be taken as success.
    expect(() => mechanism.verifySuccess(undefined)).toThrow(SmtpAuthError);
  });

  it('refuses the genuine server signature when our password differs (the server proves it)', () => {
    const mechanism = rfcMechanism('pencil2');
    mechanism.initialResponse();
    expect(text(mechanism.respond(bytes(SERVER_FIRST)))).not.toBe(CLIENT_FINAL);
    expect(() => mechanism.respond(bytes(SERVER_FINAL))).toThrow(/server signature is wrong/);
  });

  it('refuses a 235 that arrives without any server signature', () => {
    const mechanism = rfcMechanism();
    mechanism.initialResponse();
    mechanism.respond(bytes(SERVER_FIRST));
    const error = thrownBy(() => mechanism.verifySuccess(undefined));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(/without proving/);
  });

  it('reports a server-final e= error', () => {
    const mechanism = rfcMechanism();
    mechanism.initialResponse();
    mechanism.respond(bytes(SERVER_FIRST));
    expect(() => mechanism.respond(bytes('e=invalid-proof'))).toThrow(/invalid-proof/);
  });
});

describe('ScramSha256Mechanism checks on server-first', () => {
  function answer(serverFirst: string): Error {
    const mechanism = rfcMechanism();
    mechanism.initialResponse();
    return thrownBy(() => mechanism.respond(bytes(serverFirst)));
  }

  it.each([
    ['an iteration count below 4096', SERVER_FIRST.replace('i=4096', 'i=4095'), /below 4096/],
    ['a huge iteration count', SERVER_FIRST.replace('i=4096', 'i=1000001'), /denial of service/],
    ['a non-numeric iteration count', SERVER_FIRST.replace('i=4096', 'i=4e9'), /iteration/],
    ['a nonce that does not extend ours', SERVER_FIRST.replace('r=rOpr', 'r=XOpr'), /nonce/],
    ['a nonce equal to ours', `r=${CLIENT_NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`, /nonce/],
    ['a salt that is not base64', SERVER_FIRST.replace('s=W22Z', 's=W2!Z'), /malformed/],
    ['a mandatory extension', `m=ext,${SERVER_FIRST}`, /extension/],
  ])('refuses %s', (_name, serverFirst, message) => {
    const error = answer(serverFirst);
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(error.message).toMatch(message);
  });

  it.each([4096, 1_000_000])('accepts %i iterations, a bound', (iterations) => {
    const mechanism = rfcMechanism();
    mechanism.initialResponse();
    const serverFirst = SERVER_FIRST.replace('i=4096', `i=${iterations}`);
    expect(() => mechanism.respond(bytes(serverFirst))).not.toThrow();
  });
});

describe('ScramSha256Mechanism names and SASLprep', () => {
  it('escapes , and = in the username as =2C and =3D (RFC 5802 5.1)', () => {
    const mechanism = rfcMechanism('pencil', 'a=b,c');
    expect(text(mechanism.initialResponse())).toBe(`n,,n=a=3Db=2Cc,r=${CLIENT_NONCE}`);
  });

  it('normalises the password with NFKC, so equivalent spellings give the same proof', () => {
    const composed = rfcMechanism('p\u00e9ncil'); // é as one code point
    const decomposed = rfcMechanism('pe\u0301ncil'); // e + combining acute
    composed.initialResponse();
    decomposed.initialResponse();
    expect(text(decomposed.respond(bytes(SERVER_FIRST)))).toBe(
      text(composed.respond(bytes(SERVER_FIRST))),
    );
  });

  it('maps RFC 4013 examples as the RFC says', () => {
    expect(prepareSaslString('I\u00adX')).toBe('IX'); // soft hyphen mapped to nothing
    expect(prepareSaslString('user')).toBe('user');
    expect(prepareSaslString('USER')).toBe('USER'); // case is kept
    expect(prepareSaslString('\u00aa')).toBe('a'); // NFKC
    expect(prepareSaslString('\u2168')).toBe('IX'); // NFKC
    expect(prepareSaslString('a\u00a0b')).toBe('a b'); // non-ASCII space to SPACE
    expect(prepareSaslString('\u0007')).toBeUndefined(); // prohibited control
    expect(prepareSaslString('a\ue000b')).toBeUndefined(); // private use
  });

  it('refuses a password with a prohibited character, without quoting it', () => {
    const password = `${TEST_PASSWORD}\u0007`;
    const error = thrownBy(() => new ScramSha256Mechanism({ username: TEST_USERNAME, password }));
    captureErrorForHygiene('a SCRAM-SHA-256 SASLprep refusal', error);
    expect(error).toBeInstanceOf(SmtpInputError);
    expect(error.message).toMatch(/SASLprep/);
    assertNoSecrets(error.message, [password, TEST_PASSWORD]);
  });

  it('makes a fresh random nonce by default', () => {
    const first = text(
      new ScramSha256Mechanism({ username: 'u', password: 'p' }).initialResponse(),
    );
    const second = text(
      new ScramSha256Mechanism({ username: 'u', password: 'p' }).initialResponse(),
    );
    expect(first).toMatch(/^n,,n=u,r=[\x21-\x2b\x2d-\x7e]{20,}$/);
    expect(first).not.toBe(second);
  });
});

describe('SCRAM-SHA-256 through authenticate()', () => {
  function rfcServer(finalStep: 'challenge' | 'after-235', serverFinal = SERVER_FINAL) {
    return scriptChannel((line, index) => {
      if (index === 0) {
        expect(line).toBe(`AUTH SCRAM-SHA-256 ${base64(CLIENT_FIRST)}`);
        return reply(334, base64(SERVER_FIRST));
      }
      if (index === 1) {
        expect(fromBase64(line)).toBe(CLIENT_FINAL);
        if (finalStep === 'after-235') return reply(235, base64(serverFinal));
        return reply(334, base64(serverFinal));
      }
      expect(line).toBe('');
      return reply(235, '2.7.0 Authentication successful');
    });
  }

  it('completes the RFC 7677 exchange with server-final as a 334 answered by an empty line', async () => {
    const channel = rfcServer('challenge');
    const result = await authenticate(channel, rfcMechanism());
    expect(result.code).toBe(235);
    expect(channel.sent.map((entry) => entry.line)).toHaveLength(3);
  });

  it('completes the RFC 7677 exchange with server-final after 235', async () => {
    const channel = rfcServer('after-235');
    await expect(authenticate(channel, rfcMechanism())).resolves.toMatchObject({ code: 235 });
    expect(channel.sent).toHaveLength(2);
  });

  it('fails on a tampered signature in either place, cancelling when it can', async () => {
    const inChallenge = rfcServer('challenge', TAMPERED_FINAL);
    const error = await rejectionOf(authenticate(inChallenge, rfcMechanism()));
    expect(error).toBeInstanceOf(SmtpAuthError);
    expect(inChallenge.sent.at(-1)?.line).toBe('*');

    const after235 = rfcServer('after-235', TAMPERED_FINAL);
    const late = await rejectionOf(authenticate(after235, rfcMechanism()));
    expect(late).toBeInstanceOf(SmtpAuthError);
    expect(late.message).toMatch(/server signature is wrong/);
  });
});
