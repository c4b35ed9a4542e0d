/**
 * The text a failed step ends with: what failed (step, command, the server's reply) and what to
 * change, naming the action's inputs. The SMTP client's own messages already explain the
 * protocol side (its TLS messages say the port and mode disagree); this adds only the part that
 * knows which input a user edits. Replies were redacted by the client; nothing here adds a raw
 * value of any input.
 */
import {
  SmtpAuthError,
  SmtpConnectionError,
  SmtpError,
  SmtpInputError,
  SmtpRecipientsError,
  SmtpTimeoutError,
  SmtpTlsError,
  formatReply,
  type ServerOptions,
} from '../smtp/index.js';
import { adviceTermsFor, type AdviceRule } from './advice-terms.js';
import { Inputs, Ports } from './constants.js';
import { describeRefusals } from './delivery-progress.js';
import { unknownOutcomeNote } from './delivery.js';
import { providerRules, replyText } from './provider-advice.js';
import { hideUrlHost, type ServerSource } from './server-source.js';

const phaseNames: Readonly<Record<SmtpError['phase'], string>> = {
  input: 'while checking the settings',
  connect: 'while connecting',
  greeting: 'while waiting for the greeting',
  ehlo: 'at EHLO',
  starttls: 'at STARTTLS',
  auth: 'at authentication',
  mail: 'at MAIL FROM',
  rcpt: 'at RCPT TO',
  data: 'at DATA',
  message: 'while sending the message',
  quit: 'at QUIT',
};

/**
 * Returns what main passes to `core.setFailed`: the failure, then what to do, line by line.
 * With `connection-url`, the advice names the parts of the URL, and the host (a secret) is
 * written `(connection-url)`.
 */
export function adviseOnFailure(
  error: unknown,
  server?: ServerOptions,
  source: ServerSource = 'inputs',
): string {
  if (!(error instanceof SmtpError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const lines = [describeFailure(error)];
  const context = { server, terms: adviceTermsFor(source) };
  const advice = rules.map((rule) => rule(error, context)).find((text) => text !== undefined);
  if (advice !== undefined) lines.push(advice);
  lines.push(...describeOutcome(error));
  return hideUrlHost(lines.join('\n'), server, source);
}

/**
 * `SMTP failed at authentication (AUTH PLAIN): <message>`, plus the reply if unquoted. The
 * client's message often starts by naming the command again (`AUTH PLAIN failed: ...`); once
 * the command is in the parentheses, that repetition is dropped.
 */
function describeFailure(error: SmtpError): string {
  if (error instanceof SmtpInputError) return error.message;
  const step = phaseNames[error.phase];
  const named = error.command !== undefined && !step.endsWith(error.command);
  const command = named ? ` (${error.command})` : '';
  const repeated = named ? `${error.command} failed: ` : undefined;
  const message =
    repeated !== undefined && error.message.startsWith(repeated)
      ? error.message.slice(repeated.length)
      : error.message;
  let text = `SMTP failed ${step}${command}: ${message}`;
  if (error.reply !== undefined && !error.message.includes(formatReply(error.reply))) {
    text += ` The server replied: ${formatReply(error.reply)}`;
  }
  return text;
}

function describeOutcome(error: SmtpError): string[] {
  if (error.outcome === 'unknown') {
    const lines = error.message.includes(unknownOutcomeNote) ? [] : [unknownOutcomeNote];
    if (error.delivered.length > 0) {
      lines.push(`An earlier transaction delivered it to ${error.delivered.join(', ')}.`);
    }
    lines.push(...describeEarlierRefusals(error));
    return [...lines, 'Check whether the message arrived before running the job again.'];
  }
  if (error.outcome === 'partial' && error.delivered.length > 0) {
    return [
      `The message was delivered to ${error.delivered.join(', ')} before the failure; it was not retried, so they do not get it twice.`,
      ...describeEarlierRefusals(error),
    ];
  }
  return [];
}

/** Refusals heard before the failure: only the error still knows them. */
function describeEarlierRefusals(error: SmtpError): string[] {
  if (error instanceof SmtpRecipientsError || error.rejected.length === 0) return [];
  return [`The server had also refused ${describeRefusals(error.rejected)}.`];
}

/** Plaintext where TLS was expected or the other way round: port and mode disagree. */
const portAndTlsMode: AdviceRule = (error, { server, terms }) => {
  const mismatch =
    /wrong version number|packet length too long|does not seem to speak TLS|port and the TLS mode probably disagree/i;
  if (!mismatch.test(error.message)) return undefined;
  return terms.agreeOnTls(server);
};

function causeCode(error: SmtpError): string | undefined {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

const untrustedCodes =
  /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)/;

const certificateName: AdviceRule = (error, { terms }) => {
  if (!(error instanceof SmtpTlsError)) return undefined;
  if (
    causeCode(error) !== 'ERR_TLS_CERT_ALTNAME_INVALID' &&
    !/is not valid for "/.test(error.message)
  ) {
    return undefined;
  }
  return `Set ${terms.host} to a name the certificate lists, or keep it and set \`${Inputs.tlsServername}\` to that name (needed when ${terms.host} is an IP address).`;
};

const certificateTrust: AdviceRule = (error) => {
  if (!(error instanceof SmtpTlsError)) return undefined;
  const code = causeCode(error);
  if (
    !(code !== undefined && untrustedCodes.test(code)) &&
    !/not signed by a trusted authority/.test(error.message)
  ) {
    return undefined;
  }
  return `If the server uses a private CA, put its certificate (PEM) in \`${Inputs.tlsCa}\`, e.g. from a secret. \`${Inputs.tlsVerify}: false\` turns off every check and lets anyone on the path read the password: it is not a fix.`;
};

const starttlsMissing: AdviceRule = (error, { terms }) => {
  if (!(error instanceof SmtpTlsError) || !/does not offer STARTTLS/.test(error.message)) {
    return undefined;
  }
  return `The server does not offer STARTTLS. If it has implicit TLS, use ${terms.implicitTls}. ${terms.plainText}`;
};

const tlsRequired: AdviceRule = (error, { terms }) => {
  if (error.code !== 530 || !/STARTTLS|TLS/i.test(replyText(error))) return undefined;
  return `The server wants TLS before this command: ${terms.useTls}.`;
};

/**
 * RFC 4954 6: `530 5.7.0 Authentication required` to MAIL from a client that did not log in.
 * With no credentials configured, the likely cause is an empty secret, which GitHub gives
 * without an error.
 */
const authRequired: AdviceRule = (error, { server, terms }) => {
  if (server?.auth !== undefined) return undefined;
  const asked = error.enhancedCode === '5.7.0' || /auth/i.test(replyText(error));
  if (error.code !== 530 || !asked) return undefined;
  return `The server wants a login before it takes mail: ${terms.authenticate}. If they come from secrets, check the secret names; a run for a pull request from a fork gets no secrets.`;
};

const relayDenied: AdviceRule = (error, { terms }) => {
  const refused =
    /relay(ing)? (access )?(denied|not permitted|prohibited)|not permitted to relay|unable to relay|send ?as/i;
  if (error.code === undefined || error.code < 500 || !refused.test(replyText(error)))
    return undefined;
  return `The server will not take this message from this client: ${terms.authenticate} and use a \`${Inputs.from}\` address the account may send as.`;
};

const authFailed: AdviceRule = (error, { terms }) => {
  if (!(error instanceof SmtpAuthError)) return undefined;
  if (error.code === undefined) {
    return `Check the \`${Inputs.auth}\` input (a mechanism the server offers, or auto) and ${terms.port}: submission servers offer AUTH on ${Ports.submission} or ${Ports.implicit}.`;
  }
  return `Check ${terms.credentials}; some providers want an app password or a token instead of the account password.`;
};

const port25Blocked: AdviceRule = (error, { server, terms }) => {
  const connectPhase = error.phase === 'connect' || error.phase === 'greeting';
  const unreachable = error instanceof SmtpTimeoutError || error instanceof SmtpConnectionError;
  if (server?.port !== Ports.relay || !connectPhase || !unreachable) return undefined;
  return `GitHub-hosted runners block outbound port ${Ports.relay}. Use a submission port: ${terms.tlsPairs}.`;
};

const recipientsRefused: AdviceRule = (error) => {
  if (!(error instanceof SmtpRecipientsError) || error.transient) return undefined;
  return `Check the addresses in \`${Inputs.to}\`, \`${Inputs.cc}\` and \`${Inputs.bcc}\`.`;
};

const timedOut: AdviceRule = (error, { terms }) => {
  if (!(error instanceof SmtpTimeoutError)) return undefined;
  return `If the server is slow rather than unreachable, raise \`${Inputs.timeout}\` (seconds for the whole delivery, retries included); otherwise check ${terms.hostAndPort} and that the runner can reach it (a firewall, or \`${Inputs.proxy}\`).`;
};

const unreachable: AdviceRule = (error, { terms }) => {
  if (!(error instanceof SmtpConnectionError) || error.phase !== 'connect') return undefined;
  return `Check ${terms.hostAndPort}, and that the runner can reach the server (a firewall, or \`${Inputs.proxy}\`).`;
};

/** First match wins: the specific provider cases come before the general ones. */
const rules: readonly AdviceRule[] = [
  starttlsMissing,
  portAndTlsMode,
  certificateName,
  certificateTrust,
  ...providerRules,
  tlsRequired,
  authRequired,
  relayDenied,
  authFailed,
  port25Blocked,
  recipientsRefused,
  timedOut,
  unreachable,
];
