/**
 * The action's inputs for a run that reaches Postfix's submission port (STARTTLS against the
 * MTA's CA, AUTH as the MTA's test user) and sends to the inbox: what every bundle run of the
 * mta project starts from, the test adding its subject and body.
 */
import { requireMta } from './mta-settings.js';

export function submissionInputs(ehloName: string): Record<string, string> {
  const { host, ports, user, password, ca } = requireMta();
  return {
    server: host,
    port: String(ports.submission),
    tls: 'starttls',
    'tls-ca': ca,
    'tls-servername': 'mail.smtp-notify.test',
    username: user,
    password,
    'ehlo-name': ehloName,
    from: `CI <${user}>`,
    to: 'inbox@smtp-notify.test',
  };
}
