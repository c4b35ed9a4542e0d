/**
 * Every name the action shares with users' workflows: its inputs, its outputs, the values its
 * enum inputs accept and what an absent input means. action.yml is written from this file, and
 * a test keeps the two in step, so a name is spelled in exactly one place in the code.
 */

/** Input names exactly as workflows write them under `with:` (kebab-case, GitHub's convention). */
export const Inputs = {
  server: 'server',
  port: 'port',
  tls: 'tls',
  tlsVerify: 'tls-verify',
  tlsCa: 'tls-ca',
  tlsServername: 'tls-servername',
  connectionUrl: 'connection-url',
  username: 'username',
  password: 'password',
  auth: 'auth',
  ehloName: 'ehlo-name',
  proxy: 'proxy',
  from: 'from',
  to: 'to',
  cc: 'cc',
  bcc: 'bcc',
  replyTo: 'reply-to',
  subject: 'subject',
  body: 'body',
  htmlBody: 'html-body',
  bodyFile: 'body-file',
  htmlBodyFile: 'html-body-file',
  markdown: 'markdown',
  attachments: 'attachments',
  ifNoFilesFound: 'if-no-files-found',
  attachmentsMaxSize: 'attachments-max-size',
  headers: 'headers',
  priority: 'priority',
  inReplyTo: 'in-reply-to',
  thread: 'thread',
  vars: 'vars',
  status: 'status',
  onRejectedRecipient: 'on-rejected-recipient',
  retries: 'retries',
  timeout: 'timeout',
  mode: 'mode',
  transcript: 'transcript',
} as const;

export type InputName = (typeof Inputs)[keyof typeof Inputs];

export const Outputs = {
  messageId: 'message-id',
  accepted: 'accepted',
  rejected: 'rejected',
  response: 'response',
  result: 'result',
  attempts: 'attempts',
  emlPath: 'eml-path',
} as const;

/** The values each enum input accepts, lowercase; inputs are matched case-insensitively. */
export const Choices = {
  tls: ['auto', 'starttls', 'implicit', 'none'],
  auth: ['auto', 'plain', 'login', 'cram-md5', 'scram-sha-256', 'xoauth2'],
  priority: ['high', 'normal', 'low'],
  ifNoFilesFound: ['warn', 'error', 'ignore'],
  onRejectedRecipient: ['fail', 'warn'],
  mode: ['send', 'dry-run', 'verify'],
} as const;

export type TlsChoice = (typeof Choices.tls)[number];
export type Priority = (typeof Choices.priority)[number];
export type IfNoFilesFound = (typeof Choices.ifNoFilesFound)[number];
export type OnRejectedRecipient = (typeof Choices.onRejectedRecipient)[number];
export type Mode = (typeof Choices.mode)[number];

/** Whole-number inputs: the accepted range, both ends included. */
export const Ranges = {
  port: { min: 1, max: 65535 },
  retries: { min: 0, max: 10 },
  timeout: { min: 1, max: 3600 },
} as const;

/** What an absent input means. `port` has none: it follows from `tls` (see server-settings.ts). */
export const Defaults = {
  tls: 'auto',
  tlsVerify: true,
  auth: 'auto',
  markdown: false,
  ifNoFilesFound: 'warn',
  /** 25 MB, the attachment limit of the large free mail services. */
  attachmentsMaxSize: '25MB',
  priority: 'normal',
  thread: false,
  onRejectedRecipient: 'fail',
  retries: 2,
  timeout: 300,
  mode: 'send',
  transcript: false,
} as const;

/**
 * Ports of RFC 8314 3.3 (implicit TLS submission), RFC 6409 (submission, STARTTLS) and RFC 5321
 * 4.5.4 (relay: clear text first, like submission; blocked on GitHub-hosted runners).
 */
export const Ports = { implicit: 465, submission: 587, relay: 25 } as const;

/** The environment variable `proxy` falls back to. */
export const PROXY_ENV = 'SMTP_PROXY';
