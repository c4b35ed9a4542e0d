/**
 * adviseOnFailure names the action's inputs for each failure a user can fix. Here the errors are
 * built as the client throws them, for replies only a given provider sends and for failures no
 * test should wait for (a blocked port 25); failures a peer produces are in
 * failure-advice-peers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import {
  SmtpAuthError,
  SmtpConnectionError,
  SmtpReplyError,
  SmtpTimeoutError,
  type ServerOptions,
} from '../../src/smtp/index.js';
import { authError, gmail, password, reply } from './failure-advice-env.js';

interface AdviceCase {
  name: string;
  error: unknown;
  server?: ServerOptions;
  /** Text the advice must hold. */
  says: string[];
  /** Text the advice must not hold. */
  saysNot?: string[];
}

/** The advice for `error` holds all of `says` and none of `saysNot`. */
function expectAdvice({ error, server, says, saysNot = [] }: Omit<AdviceCase, 'name'>): void {
  const advice = adviseOnFailure(error, server);
  for (const text of says) expect(advice).toContain(text);
  for (const text of saysNot) expect(advice).not.toContain(text);
}

const office365 = { ...gmail, host: 'smtp.office365.com' };

const authCases: AdviceCase[] = [
  {
    name: '535 5.7.8 from a Gmail host, whatever the text',
    error: authError(535, '5.7.8 Authentication failed'),
    server: gmail,
    says: ['create an app password'],
    saysNot: [password],
  },
  {
    name: '535 5.7.8 from another host is not Gmail',
    error: authError(535, '5.7.8 Authentication failed'),
    server: { ...gmail, host: 'smtp.example.com' },
    says: ['Check `username` and `password`'],
    saysNot: ['app password (https'],
  },
  {
    name: '535 5.7.139: Microsoft 365 has SMTP AUTH disabled',
    error: authError(
      535,
      '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
    ),
    server: office365,
    says: [
      'Microsoft 365 has SMTP AUTH (Authenticated SMTP) disabled for the tenant or for this mailbox',
      'admin',
    ],
  },
  {
    name: '535 5.7.3 from Office 365: credentials refused or SMTP AUTH disabled',
    error: authError(
      535,
      '5.7.3 Authentication unsuccessful [SN4PR0601CA0001.namprd06.prod.outlook.com]',
    ),
    server: office365,
    says: ['Office 365 refused the credentials, or SMTP AUTH is disabled'],
  },
  {
    name: 'a mechanism the server does not offer: the auth input',
    error: new SmtpAuthError('The server does not offer the CRAM-MD5 authentication mechanism.', {
      phase: 'auth',
    }),
    says: ['Check the `auth` input'],
  },
];

const sesText =
  'Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: ci@example.com';

const refusalCases: AdviceCase[] = [
  {
    name: '530 5.7.0 Must issue a STARTTLS command first: the server wants TLS',
    error: new SmtpReplyError(
      'MAIL FROM failed: the server replied 530 5.7.0 Must issue a STARTTLS command first',
      {
        phase: 'mail',
        command: 'MAIL FROM:<ci@example.com>',
        reply: reply(530, '5.7.0 Must issue a STARTTLS command first'),
      },
    ),
    says: ['The server wants TLS', 'not `tls: none`'],
  },
  {
    name: '554 Email address is not verified (Amazon SES): verify the sender, leave the sandbox',
    error: new SmtpReplyError(`The server refused the message: 554 ${sesText}`, {
      phase: 'message',
      command: '.',
      reply: reply(554, sesText),
    }),
    says: ['verify the sender identity (the `from` address or its domain)', 'SES sandbox'],
  },
  {
    // Plain reply errors get the reply appended when the message does not quote it.
    name: 'a refused mailbox: check the recipient inputs',
    error: new SmtpReplyError('RCPT TO failed', {
      phase: 'rcpt',
      reply: reply(550, '5.1.1 User unknown'),
    }),
    says: ['The server replied: 550 5.1.1 User unknown'],
  },
];

const unknownOutcome = Object.assign(
  new SmtpConnectionError('The server closed the connection during message (.).', {
    phase: 'message',
    command: '.',
    transient: true,
  }),
  { outcome: 'unknown' as const },
);

const connectionCases: AdviceCase[] = [
  {
    name: 'a timeout elsewhere: the timeout input',
    error: new SmtpTimeoutError('The server did not answer DATA within 60 s.', {
      phase: 'data',
      command: 'DATA',
      transient: true,
    }),
    server: { host: 'smtp.example.com', port: 587, tls: 'starttls' },
    says: ['raise `timeout`'],
    saysNot: ['port 25'],
  },
  {
    name: 'connection refused: check server and port',
    error: new SmtpConnectionError(
      'Cannot reach the SMTP server at 127.0.0.1:2525: nothing listens.',
      { phase: 'connect' },
    ),
    says: ['Check `server` and `port`'],
  },
  {
    name: 'outcome unknown: may or may not have been delivered',
    error: unknownOutcome,
    says: ['may or may not have been delivered', 'Check whether the message arrived'],
  },
];

describe('adviseOnFailure: authentication', () => {
  for (const adviceCase of authCases) it(adviceCase.name, () => expectAdvice(adviceCase));
});

describe('adviseOnFailure: refusals', () => {
  for (const adviceCase of refusalCases) it(adviceCase.name, () => expectAdvice(adviceCase));
});

describe('adviseOnFailure: connections and time', () => {
  it('port 25 unreachable: GitHub-hosted runners block it', () => {
    const server: ServerOptions = { host: 'mx.example.com', port: 25, tls: 'starttls' };
    for (const error of [
      new SmtpTimeoutError('Could not connect to mx.example.com:25 within 30 s.', {
        phase: 'connect',
        transient: true,
      }),
      new SmtpConnectionError(
        'Cannot reach the SMTP server at mx.example.com:25: nothing listens.',
        { phase: 'connect' },
      ),
    ]) {
      expectAdvice({
        error,
        server,
        says: ['GitHub-hosted runners block outbound port 25', '`port: 587` with `tls: starttls`'],
      });
    }
  });

  for (const adviceCase of connectionCases) it(adviceCase.name, () => expectAdvice(adviceCase));
});

describe('adviseOnFailure: anything else', () => {
  it('keeps the message of an unknown error, and of a thrown string', () => {
    expect(adviseOnFailure(new Error('boom'))).toBe('boom');
    expect(adviseOnFailure('plain text')).toBe('plain text');
  });

  it('states the failure of an SmtpError it has no advice for', () => {
    const error = new SmtpReplyError('EHLO failed: the server replied 554 go away', {
      phase: 'ehlo',
      command: 'EHLO',
      reply: reply(554, 'go away'),
    });
    expect(adviseOnFailure(error)).toBe(
      'SMTP failed at EHLO: EHLO failed: the server replied 554 go away',
    );
  });

  it('never adds the password it was given', () => {
    const error = authError(535, '5.7.8 Authentication failed');
    for (const server of [gmail, { ...gmail, host: 'smtp.example.com' }]) {
      expect(adviseOnFailure(error, server)).not.toContain(password);
    }
  });
});
