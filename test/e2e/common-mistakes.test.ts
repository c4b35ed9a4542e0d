// The mistakes a newcomer makes first, run through the built action: each must fail the step
// (or warn before connecting) with a message that names what to change. Input mistakes are
// caught before any connection; server-side ones get advice that names the inputs.
import { describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { omitInputs, serverInputs } from '../helpers/action-server.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

/** The annotations of one kind, as the runner shows them (`%0A` is a line break). */
function annotations(run: ActionRun, kind: 'error' | 'warning'): string[] {
  const prefix = `::${kind}::`;
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).replace(/%0A/g, '\n').replace(/%25/g, '%'));
}

async function failure(inputs: Record<string, string>, event?: 'push'): Promise<string> {
  const run = await runAction({ inputs, ...(event === undefined ? {} : { event }) });
  expect(run.exitCode, run.stdout).toBe(1);
  expect(run.outputs.result).toBe('failed');
  const [error] = annotations(run, 'error');
  expect(error, run.stdout).toBeDefined();
  return error ?? '';
}

const dryRun = { mode: 'dry-run', from: 'CI <ci@example.com>', to: 'dev@example.com' };

describe('input mistakes, refused before any connection', () => {
  it('an empty password from a secret says why a secret can be empty', async () => {
    const server = await startServer();
    const error = await failure({ ...serverInputs(server), password: '' });
    expect(error).toMatch(/^Input "password": is empty while username is given\./);
    expect(error).toContain('secret name is misspelt');
    expect(error).toContain('pull request from a fork');
    expect(server.connections).toBe(0);
  });

  it.each([
    [{ ...dryRun, from: '' }, 'Input "from": is required in dry-run mode'],
    [{ ...dryRun, to: '' }, 'Input "to": at least one recipient is required'],
    [{ ...dryRun, retries: 'two' }, 'Input "retries": "two" is not a whole number from 0 to 10.'],
    [
      { ...dryRun, markdown: 'yes' },
      'Input "markdown": "yes" is not a boolean: use true or false.',
    ],
    [
      { ...dryRun, body: 'hi', 'body-file': 'mail.md' },
      'Input "body": cannot be combined with body-file',
    ],
    [
      { ...dryRun, server: 'smtp.gmail.com:587' },
      'Input "server": "smtp.gmail.com:587" includes a port: give only the host name here and the port in the "port" input.',
    ],
    [
      { ...dryRun, server: 'mail.example.com', 'tls-ca': 'certs/ca.pem' },
      'the file does not exist. Paths are relative to the workspace',
    ],
    [
      { ...dryRun, subject: '{{ github.repositry }}' },
      'subject, line 1, column 4: "github.repositry" is not defined (check the spelling; available in github: repository,',
    ],
    [
      { ...dryRun, body: 'PR: {{ event.pull_request.title }}' },
      'body, line 1, column 8: "event.pull_request" is not defined',
    ],
  ])('%j fails with %j', async (inputs, expected) => {
    expect(await failure(inputs, 'push')).toContain(expected);
  });
});

describe('template typos on the events whose names are words of the message', () => {
  // The run's own facts (GITHUB_EVENT_NAME is `pull_request`, `release`) are no secret: the
  // net that hides environment values in template errors must not cut them out of the message.
  it.each([
    ['pull_request', '{{ event.pull_request.titel }}', '"event.pull_request.titel" is not defined'],
    ['release', '{{ event.release.tag_nam }}', '"event.release.tag_nam" is not defined'],
  ] as const)('%s: %s', async (event, body, expected) => {
    const run = await runAction({ event, inputs: { ...dryRun, body } });
    const [error] = annotations(run, 'error');
    expect(error, run.stdout).toContain(expected);
    expect(error).not.toContain('***');
  });
});

describe('server-side mistakes, with advice naming the inputs', () => {
  it('no credentials where the server wants a login: a 530 that points at empty secrets', async () => {
    const server = await startServer();
    const error = await failure(omitInputs(serverInputs(server), 'username', 'password'));
    // The command is named once, not repeated by the client's own message.
    expect(error).toMatch(
      /^SMTP failed at MAIL FROM \(MAIL FROM:<ci-bot@example\.com>\): the server replied 530 /,
    );
    expect(error).toContain('The server wants a login before it takes mail');
    expect(error).toContain('a run for a pull request from a fork gets no secrets');
  });

  it('a wrong password names AUTH once and the inputs to check', async () => {
    const server = await startServer();
    const error = await failure({ ...serverInputs(server), password: 'not-the-password' });
    expect(error).toMatch(/^SMTP failed at authentication \(AUTH PLAIN\): the server replied 535 /);
    expect(error).not.toContain('AUTH PLAIN failed');
    expect(error).toContain('Check `username` and `password`');
  });
});

describe('port and tls that disagree: a warning before connecting', () => {
  // A name under .invalid (RFC 6761 6.4) never resolves: nothing is contacted.
  const unreachable = { server: 'mail.example.invalid', mode: 'verify', retries: '0' };

  it.each([
    [{ port: '587', tls: 'implicit' }, 'Port 587 greets in clear text and upgrades with STARTTLS'],
    [{ port: '465', tls: 'starttls' }, 'Port 465 expects TLS from the first byte'],
  ])('%j warns: %s', async (inputs, expected) => {
    const run = await runAction({ inputs: { ...unreachable, ...inputs } });
    const [warning] = annotations(run, 'warning');
    expect(warning, run.stdout).toContain(expected);
    expect(warning).toContain('Set the `port` and `tls` inputs to agree');
    expect(run.stdout.indexOf('::warning::')).toBeLessThan(run.stdout.indexOf('::error::'));
  });

  it('stays quiet when they agree, and when tls is auto', async () => {
    const agreeing: Record<string, string>[] = [
      { port: '465', tls: 'implicit' },
      { port: '465' },
      { port: '587' },
    ];
    for (const inputs of agreeing) {
      const run = await runAction({ inputs: { ...unreachable, ...inputs } });
      expect(annotations(run, 'warning'), JSON.stringify(inputs)).toEqual([]);
    }
  });
});
