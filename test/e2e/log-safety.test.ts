// What a run leaves in a public log, read as the runner shows it: no workflow command from a
// hostile server or pull request title (either form: `::name::` at a line start, `##[name]`
// anywhere), no Bcc address, and no host of a connection-url.
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-run.js';
import { connectionUrlInputs, serverInputs, startActionServer } from '../helpers/action-server.js';
import { refusal } from '../helpers/smtp-server.js';
import { expectNoInjectedCommands, visibleLog } from './log-lines.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

const legacy = '##[set-output name=result;]pwned';

describe('a hostile server and pull request title', () => {
  it('reach the log only disarmed: replies, refusals, warnings, transcript', async () => {
    const server = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address !== 'nobody@example.com') callback();
        else callback(refusal(550, `5.1.1 no such user ${legacy} ::warning::injected`));
      },
      answerMessage: () => `queued as 7 ${legacy}`,
    });
    const run = await runAction({
      event: {
        name: 'pull_request',
        payload: { pull_request: { number: 7, title: `Fix ${legacy} ##[error]x` } },
      },
      inputs: {
        ...serverInputs(server),
        to: 'dev@example.com, nobody@example.com',
        subject: 'PR: {{ event.pull_request.title }}',
        body: 'b',
        transcript: 'true',
        'on-rejected-recipient': 'warn',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('partial');
    // The hostile text did reach the log, in each place, behind the `##\u005b` disarming.
    const disarmed = '##\\u005bset-output name=result;]pwned';
    expect(run.stdout).toContain(`Sent: the server replied 250 queued as 7 ${disarmed}`);
    expect(run.stdout).toMatch(/::warning::The server refused 1 recipient.*no such user ##\\u005b/);
    expect(run.stdout).toContain(`S: 550 5.1.1 no such user ${disarmed}`);
    expect(run.stdout).toContain(`Sending "PR: Fix ${disarmed} ##\\u005berror]x"`);
    expectNoInjectedCommands(run.stdout);
  });

  it('fails with the refusal disarmed in the error annotation', async () => {
    const server = await startServer({
      answerMessage: () => refusal(554, `5.7.1 rejected ${legacy}`),
    });
    const run = await runAction({ inputs: { ...serverInputs(server), subject: 's', body: 'b' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::.*554 5\.7\.1 rejected ##\\u005bset-output/);
    expectNoInjectedCommands(run.stdout);
  });
});

describe('Bcc recipients in the log', () => {
  const bcc = 'Secret-Auditor@example.com';

  it('are masked everywhere, even where the server refuses and quotes one', async () => {
    const server = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address.toLowerCase() !== bcc.toLowerCase()) callback();
        else callback(refusal(550, `5.1.1 <${bcc.toLowerCase()}>: Recipient address rejected`));
      },
    });
    const run = await runAction({
      inputs: {
        ...serverInputs(server),
        bcc: `Auditor <${bcc}>`,
        subject: 's',
        body: 'b',
        transcript: 'true',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('partial');
    // The address is really in what the action printed (the transcript, the refusal)...
    const printed = visibleLog(run.stdout);
    expect(printed).toContain(`C: RCPT TO:<${bcc}>`);
    expect(printed.toLowerCase()).toContain(`refused 1 recipient(s): ${bcc.toLowerCase()}`);
    // ...and the runner shows none of it, in any letter case.
    const shown = `${run.shown.stdout}\n${run.shown.stderr}`.toLowerCase();
    expect(shown).toContain('c: rcpt to:<***>');
    expect(shown).not.toContain(bcc.toLowerCase());
    expect(run.shown.stdout).toContain('dev@example.com');
    expect(run.summary.toLowerCase()).not.toContain(bcc.toLowerCase());
  });
});

describe('the host of connection-url', () => {
  it('is masked in the log and shown as (connection-url) in the summary', async () => {
    const server = await startServer();
    const run = await runAction({
      inputs: { ...connectionUrlInputs(server), transcript: 'true', subject: 's', body: 'b' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain(`through (connection-url):${server.port}`);
    expect(run.shown.stdout).not.toContain('127.0.0.1');
    expect(run.summary).toContain(`(connection-url):${server.port}`);
    expect(run.summary).not.toContain('127.0.0.1');
  });

  it('is left out of a failure, whose advice names the parts of the URL', async () => {
    // A port nothing listens on any more: started and closed here, not after the test.
    const closed = await startActionServer();
    const port = closed.port;
    await closed.close();
    const run = await runAction({ inputs: { ...connectionUrlInputs({ port }), retries: '0' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::SMTP failed while connecting: .*\(connection-url\)/);
    expect(run.stdout).toContain('Check the host and port in `connection-url`');
    expect(run.summary).toContain(`(connection-url):${port}`);
    expect(run.summary).not.toContain('127.0.0.1');
    expect(run.shown.stdout).not.toContain('127.0.0.1');
  });
});
