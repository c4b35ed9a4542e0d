export type { Credentials, SaslMechanism } from './mechanism.js';
export { PlainMechanism } from './plain.js';
export { LoginMechanism } from './login.js';
export { CramMd5Mechanism } from './cram-md5.js';
export { Xoauth2Mechanism } from './xoauth2.js';
export {
  ScramSha256Mechanism,
  SCRAM_MAX_ITERATIONS,
  SCRAM_MIN_ITERATIONS,
  type ScramOptions,
} from './scram-sha-256.js';
export { prepareSaslString } from './saslprep.js';
export {
  AUTH_MECHANISM_NAMES,
  chooseMechanism,
  createMechanism,
  isAuthMechanismName,
  type AuthMechanismName,
} from './choose.js';
export {
  authenticate,
  fitsAuthCommand,
  type AuthChannel,
  type AuthenticateOptions,
} from './exchange.js';
export { secretFormsOf } from './secret-forms.js';
