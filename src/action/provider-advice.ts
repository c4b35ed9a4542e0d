/**
 * Advice for replies only one provider sends, recognised by the host or by the provider's own
 * words in the reply. They come before the general rules in failure-advice.ts: "check the
 * password" is true but useless when Gmail will refuse every account password.
 */
import { formatReply, type ServerOptions, type SmtpError } from '../smtp/index.js';
import type { AdviceRule } from './advice-terms.js';
import { Inputs } from './constants.js';

export function replyText(error: SmtpError): string {
  return error.reply === undefined ? '' : formatReply(error.reply);
}

function hostMatches(server: ServerOptions | undefined, pattern: RegExp): boolean {
  return server !== undefined && pattern.test(server.host);
}

/**
 * Gmail answers 535 5.7.8 to a wrong password, and 534 5.7.9 ("Application-specific password
 * required") or 534 5.7.14 (sign in with a browser) to the right account password of an account
 * that may not use it over SMTP: the fix is an app password in each case.
 */
const gmailAppPassword: AdviceRule = (error, { server, terms }) => {
  if (error.code !== 535 && error.code !== 534) return undefined;
  const gmail =
    hostMatches(server, /(^|\.)(gmail|google|googlemail)\.com$/i) ||
    /gsmtp|BadCredentials/i.test(replyText(error));
  if (!gmail) return undefined;
  return `Gmail does not accept the account password over SMTP: turn on 2-Step Verification for the account, create an app password (https://myaccount.google.com/apppasswords) and use it as ${terms.appPassword}.`;
};

const microsoftSmtpAuthDisabled: AdviceRule = (error) => {
  if (error.code !== 535 || error.enhancedCode !== '5.7.139') return undefined;
  return 'Microsoft 365 has SMTP AUTH (Authenticated SMTP) disabled for the tenant or for this mailbox. An Exchange admin must enable it for the mailbox (Microsoft 365 admin center: the user, Mail, Manage email apps, Authenticated SMTP; or `Set-CASMailbox -SmtpClientAuthenticationDisabled $false`); tenant-wide security defaults also block it.';
};

const office365Refused: AdviceRule = (error, { server, terms }) => {
  if (error.code !== 535 || error.enhancedCode !== '5.7.3') return undefined;
  if (
    !hostMatches(server, /(office365|outlook)\.com$/i) &&
    !/Authentication unsuccessful/i.test(replyText(error))
  ) {
    return undefined;
  }
  return `Office 365 refused the credentials, or SMTP AUTH is disabled for this mailbox. Check ${terms.mailboxCredentials}; if they are right, an admin must enable Authenticated SMTP for the mailbox.`;
};

const sesNotVerified: AdviceRule = (error) => {
  if (error.code !== 554 || !/address is not verified/i.test(replyText(error))) return undefined;
  return `Amazon SES: verify the sender identity (the \`${Inputs.from}\` address or its domain) in this region. While the account is in the SES sandbox every recipient must be verified too; request production access to leave it.`;
};

/** In the order they are tried; the first that matches gives the advice. */
export const providerRules: readonly AdviceRule[] = [
  gmailAppPassword,
  microsoftSmtpAuthDisabled,
  office365Refused,
  sesNotVerified,
];
