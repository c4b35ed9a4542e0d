/**
 * The fault server's honest side of AUTH (RFC 4954): PLAIN (RFC 4616), with or without an
 * initial response, and LOGIN, checked against the suite's TEST_USERNAME / TEST_PASSWORD. Any
 * other mechanism it may be told to offer is refused with 535 unless a fault takes over.
 */
import { TEST_PASSWORD, TEST_USERNAME } from './hygiene.js';

/** A reply to one line of the exchange and, after a 334, what answers the next line. */
export interface AuthStep {
  text: string;
  next?: (line: string) => AuthStep;
}

const CANCELLED: AuthStep = { text: '501 5.7.0 Authentication cancelled' };
const BAD_BASE64: AuthStep = { text: '501 5.5.2 Cannot decode the response' };

/** Canonical base64 only, as RFC 4954 4 asks; `=` is the empty response. */
function decode(line: string): string | undefined {
  if (line === '=') return '';
  const bytes = Buffer.from(line, 'base64');
  return bytes.toString('base64') === line ? bytes.toString('utf8') : undefined;
}

function verdict(username: string, password: string): AuthStep {
  return username === TEST_USERNAME && password === TEST_PASSWORD
    ? { text: '235 2.7.0 Authentication successful' }
    : { text: '535 5.7.8 Authentication credentials invalid' };
}

/** `authzid NUL authcid NUL passwd`; the authzid may be empty or the user itself. */
function checkPlain(line: string): AuthStep {
  if (line === '*') return CANCELLED;
  const message = decode(line);
  if (message === undefined) return BAD_BASE64;
  const [authzid = '', authcid = '', password = '', ...rest] = message.split('\0');
  if (rest.length > 0 || (authzid !== '' && authzid !== authcid)) return verdict('', '');
  return verdict(authcid, password);
}

/** LOGIN's two prompts, `Username:` and `Password:`, in base64. */
function login(initial: string | undefined): AuthStep {
  const askPassword = (username: string): AuthStep => ({
    text: '334 UGFzc3dvcmQ6',
    next: (line) => {
      if (line === '*') return CANCELLED;
      const password = decode(line);
      return password === undefined ? BAD_BASE64 : verdict(username, password);
    },
  });
  if (initial !== undefined) {
    const username = decode(initial);
    return username === undefined ? BAD_BASE64 : askPassword(username);
  }
  return {
    text: '334 VXNlcm5hbWU6',
    next: (line) => {
      if (line === '*') return CANCELLED;
      const username = decode(line);
      return username === undefined ? BAD_BASE64 : askPassword(username);
    },
  };
}

/** The reply to `AUTH <mechanism> [initial]`. */
export function answerAuth(mechanism: string, initial: string | undefined): AuthStep {
  if (mechanism === 'PLAIN') {
    return initial === undefined ? { text: '334 ', next: checkPlain } : checkPlain(initial);
  }
  if (mechanism === 'LOGIN') return login(initial);
  return { text: '535 5.7.8 Mechanism not implemented by this test server' };
}
