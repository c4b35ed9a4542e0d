// Inputs of the built action: bad values fail the step naming the input, before any
// connection; connection-url and tls-verify: false work as documented.
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-run.js';
import {
  connectionUrlInputs,
  mailUser,
  omitInputs,
  parseReceived,
  serverInputs,
} from '../helpers/action-server.js';
import { expectFailedBeforeConnecting } from './early-failure.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

describe('bad inputs', () => {
  it.each([
    [{ retries: 'two' }, /::error::Input "retries": "two" is not a whole number from 0 to 10/],
    [{ to: 'dev@example.com, not an address' }, /::error::Input "to": /],
    [{ markdown: 'yes please' }, /::error::Input "markdown": /],
    [{ tls: 'ssl' }, /::error::Input "tls": .*auto, starttls, implicit, none/],
    [{ headers: 'X-Ok: 1\nBcc: victim@example.com' }, /::error::Input "headers": /],
    [{ 'body-file': 'docs/missing.md' }, /::error::Input "body-file": /],
  ])('%o fails the step naming the input, with no connection', async (bad, message) => {
    const server = await startServer();
    const run = await runAction({ inputs: { ...serverInputs(server), ...bad } });
    expectFailedBeforeConnecting(run, server, message);
    expect(run.summary).toContain('Email not sent');
  });

  it('fails on an event file that is not JSON, before connecting', async () => {
    const server = await startServer();
    const run = await runAction({
      inputs: serverInputs(server),
      env: { GITHUB_EVENT_PATH: '/dev/null' },
    });
    expectFailedBeforeConnecting(
      run,
      server,
      /::error::GITHUB_EVENT_PATH \/dev\/null is not valid JSON/,
    );
  });
});

describe('server settings', () => {
  it('sends through a connection-url (STARTTLS, percent-decoded credentials)', async () => {
    const server = await startServer();
    const run = await runAction({ inputs: connectionUrlInputs(server) });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(server.logins).toEqual([mailUser]);
    expect(run.outputs.result).toBe('sent');
  });

  it('warns with an annotation when tls-verify is false, and still uses TLS', async () => {
    const server = await startServer();
    const inputs = omitInputs(serverInputs(server), 'tls-ca');
    const run = await runAction({ inputs: { ...inputs, 'tls-verify': 'false' } });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^::warning::Input "tls-verify" is false/m);
    expect(run.summary).toMatch(/TLSv1\.[23]/);
    expect((await parseReceived(server)).subject).toMatch(/acme\/widgets/);
  });

  it('fails without tls-ca on a private CA, with advice naming tls-ca', async () => {
    const server = await startServer();
    const inputs = omitInputs(serverInputs(server), 'tls-ca');
    const run = await runAction({ inputs: { ...inputs, retries: '0' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('tls-ca');
    expect(server.received).toHaveLength(0);
    expect(server.logins).toHaveLength(0);
  });
});
