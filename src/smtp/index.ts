// The SMTP client's public surface. It knows nothing of MIME or GitHub: it delivers bytes.
export { sendMail, verifyConnection } from './send-mail.js';
export type { SendResult, SessionReport } from './send-mail.js';
export type { AuthOptions, ServerOptions } from './options.js';
export { isLoopbackHost } from './options.js';
export type { DsnOptions, SendMailOptions } from './send-options.js';
export type { TlsMode, TlsSettings, TlsInfo } from './tls.js';
export type { Timeouts } from './timeouts.js';
export { defaultTimeouts } from './timeouts.js';
export type { TranscriptEntry } from './transcript.js';
export type { Reply } from './reply.js';
export { formatReply } from './reply-text.js';
export { isValidEhloName } from './ehlo-name.js';
export { AUTH_MECHANISM_NAMES, secretFormsOf, type AuthMechanismName } from './auth/index.js';
export {
  SmtpError,
  SmtpInputError,
  SmtpReplyError,
  SmtpRecipientsError,
  SmtpProtocolError,
  SmtpConnectionError,
  SmtpTimeoutError,
  SmtpTlsError,
  SmtpAuthError,
} from './errors.js';
export type { DeliveryOutcome, RecipientReply, SmtpPhase } from './errors.js';
