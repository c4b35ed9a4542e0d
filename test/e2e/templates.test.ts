// Templates in the built action: custom subject and bodies with `vars`, Markdown, errors that
// name the template, and a hostile pull request title that must stay harmless.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runAction } from '../helpers/action-run.js';
import { parseReceived, serverInputs } from '../helpers/action-server.js';
import { expectNoInjectedCommands } from './log-lines.js';
import { expectFailedBeforeConnecting } from './early-failure.js';
import { useActionServers } from './per-test-server.js';

const startServer = useActionServers();

describe('custom templates', () => {
  it('renders subject, text and HTML bodies with vars, escaping values only in HTML', async () => {
    const server = await startServer();
    const run = await runAction({
      event: 'push',
      inputs: {
        ...serverInputs(server),
        status: 'Failure',
        vars: 'team: "Platform <ops>"\nowner: "{{ github.actor }}"',
        subject: '[{{ vars.team }}] {{ github.workflow }} {{ status }} on {{ github.ref_name }}',
        body: 'Hi {{ vars.owner }},\n{% for c in event.commits %}- {{ c.message | truncate: 20 }}\n{% endfor %}',
        'html-body': '<p>Team {{ vars.team }} at <a href="{{ github.run_url }}">the run</a></p>',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const mail = await parseReceived(server);
    expect(mail.subject).toBe('[Platform <ops>] CI failure on main');
    expect(mail.text).toContain('Hi monalisa,\n- Parse retry-after...\n- Docs: explain <re...');
    expect(mail.html).toContain('<p>Team Platform &lt;ops&gt; at <a href="https://github.com/');
    expect(run.outputs.result).toBe('sent');
  });

  it('reads body-file and html-body-file templates from the workspace', async () => {
    const server = await startServer();
    const run = await runAction({
      files: {
        'mail/body.txt': 'Run {{ github.run_number }} of {{ github.workflow }}\n',
        'mail/body.html': '<b>{{ event.head_commit.message | split: "\n" | first }}</b>',
      },
      inputs: {
        ...serverInputs(server),
        subject: 'files',
        'body-file': 'mail/body.txt',
        'html-body-file': 'mail/body.html',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const mail = await parseReceived(server);
    expect(mail.text).toBe('Run 42 of CI\n');
    expect(mail.html).toBe('<b>Docs: explain &lt;retry&gt; &amp; backoff settings</b>');
  });

  it('sends a Markdown body as text (Markdown kept) and as GFM-rendered HTML', async () => {
    const server = await startServer();
    const run = await runAction({
      event: 'pull_request',
      inputs: {
        ...serverInputs(server),
        markdown: 'true',
        subject: 'Review wanted',
        body: '## {{ event.pull_request.title }}\n\n| a | b |\n|---|---|\n| **1** | 2 |\n',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const mail = await parseReceived(server);
    expect(mail.text).toContain('| **1** | 2 |');
    expect(mail.html).toMatch(/<table[^>]*>[\s\S]*<td[^>]*><strong>1<\/strong><\/td>/);
    // The title's markup arrives as text in the HTML part, never as an element or a link.
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).not.toMatch(/href="javascript:/i);
  });

  it('keeps a hostile pull request title in one Subject header and out of workflow commands', async () => {
    const server = await startServer();
    const run = await runAction({
      event: 'pull_request',
      inputs: { ...serverInputs(server), subject: 'PR: {{ event.pull_request.title }}' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const raw = server.received[0]?.data.toString('latin1') ?? '';
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head.match(/^Subject:/gim)).toHaveLength(1);
    expect(head).not.toMatch(/^::set-output/m);
    const mail = await parseReceived(server);
    expect(mail.subject).toBe(
      "PR: <script>alert('pwned')</script> ::set-output name=token::x 🚀 **Fix** [click](javascript:alert(1))",
    );
    expect(mail.headers.has('set-output')).toBe(false);
    expect(run.stdout).toContain('::set-output name=token::x');
    expectNoInjectedCommands(run.stdout);
    expect(Object.keys(run.outputs).sort()).toEqual(
      ['accepted', 'attempts', 'eml-path', 'message-id', 'rejected', 'response', 'result'].sort(),
    );
  });

  it('prints a dry run whose body starts a line with the title behind a prefix', async () => {
    const run = await runAction({
      event: 'pull_request',
      inputs: {
        mode: 'dry-run',
        from: 'ci@example.com',
        to: 'dev@example.com',
        subject: 'x',
        body: '{{ event.pull_request.title }}',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const eml = await readFile(run.outputs['eml-path'] ?? '', 'utf8');
    // The message itself has the line: printed as it is, it would be a command.
    expect(eml).toMatch(/^::set-output name=3Dtoken::x/m);
    expect(run.stdout).toMatch(/^eml\| ::set-output name=3Dtoken::x/m);
    expectNoInjectedCommands(run.stdout);
  });
});

describe('template errors', () => {
  it('fails on a misspelt variable, naming the template and its line, before connecting', async () => {
    const server = await startServer();
    const run = await runAction({
      inputs: { ...serverInputs(server), subject: 'ok', body: 'line one\n{{ github.repositry }}' },
    });
    expectFailedBeforeConnecting(run, server, /::error::body, line 2.*github\.repositry/);
  });

  it('fails on a vars value that is not a mapping, naming vars', async () => {
    const server = await startServer();
    const run = await runAction({ inputs: { ...serverInputs(server), vars: '- a\n- b' } });
    expectFailedBeforeConnecting(run, server, /::error::vars: expected a mapping/);
  });
});
