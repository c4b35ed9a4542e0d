/**
 * The job summary as GitHub gets it (the GITHUB_STEP_SUMMARY file): escaped HTML, Bcc only
 * counted, one heading per result.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { deliverWithRetries } from '../../src/action/delivery.js';
import { adviseOnFailure } from '../../src/action/failure-advice.js';
import { escapeHtml, writeSummary, type SummaryInput } from '../../src/action/summary.js';
import { startSmtpServer } from '../helpers/smtp-server.js';

// @actions/core remembers the summary path after its first write: one file for the whole file.
const folder = mkdtempSync(join(tmpdir(), 'smtp-notify-summary-'));
const summaryFile = join(folder, 'summary.md');

beforeEach(() => {
  writeFileSync(summaryFile, '');
  vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile);
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(folder, { recursive: true, force: true });
});

const sent: SummaryInput = {
  result: 'sent',
  subject: 'Build passed',
  from: 'CI <ci@example.com>',
  accepted: [
    { address: 'dev@example.com', reply: { code: 250, lines: ['2.1.5 OK'] } },
    { address: 'Boss@Example.com', reply: { code: 250, lines: ['2.1.5 OK'] } },
  ],
  rejected: [],
  bcc: ['boss@example.com'],
  response: { code: 250, enhancedCode: '2.0.0', lines: ['2.0.0 queued as 4XYZ'] },
  server: { host: 'smtp.example.com', port: 587 },
  tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
  authMechanism: 'PLAIN',
  attempts: 1,
  durationMs: 1_234,
  messageId: '<abc@smtp-notify.test>',
};

async function summaryOf(input: SummaryInput): Promise<string> {
  await writeSummary(input);
  return readFileSync(summaryFile, 'utf8');
}

describe('writeSummary', () => {
  it('shows what was sent, to whom, over what, in a table', async () => {
    const html = await summaryOf(sent);
    expect(html).toContain('<h2>✅ Email sent</h2>');
    for (const cell of [
      '<th>Subject</th><td>Build passed</td>',
      '<th>From</th><td>CI &lt;ci@example.com&gt;</td>',
      '<th>Accepted</th><td>dev@example.com<br>1 Bcc recipient</td>',
      '<th>Server response</th><td>250 2.0.0 queued as 4XYZ</td>',
      '<th>Server</th><td>smtp.example.com:587</td>',
      '<th>TLS</th><td>TLSv1.3, TLS_AES_256_GCM_SHA384</td>',
      '<th>AUTH mechanism</th><td>PLAIN</td>',
      '<th>Attempts</th><td>1</td>',
      '<th>Duration</th><td>1.2 s</td>',
      '<th>Message-ID</th><td>&lt;abc@smtp-notify.test&gt;</td>',
    ]) {
      expect(html).toContain(cell);
    }
  });

  it('escapes a hostile subject and hostile replies', async () => {
    const html = await summaryOf({
      ...sent,
      result: 'partial',
      subject: '<img src=x onerror=alert(1)>',
      rejected: [
        {
          address: 'x@example.com',
          reply: { code: 550, lines: ['<script>alert("r")</script>'] },
        },
      ],
      failure: 'line one\n\n[click](javascript:alert(1)) <b>bold</b>',
    });
    expect(html).toContain('<h2>⚠️ Email sent, with rejected recipients</h2>');
    expect(html).toContain('&lt;img src&#61;x onerror&#61;alert(1)&gt;');
    expect(html).toContain('x@example.com: 550 &lt;script&gt;alert(&quot;r&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/<img|<script|<b>/);
    expect(html).toContain(
      '<pre>line one<br><br>[click](javascript:alert(1)) &lt;b&gt;bold&lt;/b&gt;</pre>',
    );
  });

  it('gives Markdown no way in: no blank line ends the HTML block', async () => {
    // A blank line ends a CommonMark HTML block (4.6, the <h2> that opens the summary), even
    // inside a <pre> that does not start a block; what follows would be Markdown again.
    const markdown = '[link](https://evil.example/) ![pixel](https://evil.example/p.png) `code`';
    const html = await summaryOf({
      ...sent,
      result: 'failed',
      subject: `a | b ${markdown}`,
      failure: `first\n\n${markdown}\r\n\r\n| a | b |\n|---|---|\n| c | d |`,
    });
    expect(html).not.toMatch(/\n[ \t]*\r?\n/);
    // marked follows CommonMark's HTML block rules, as GitHub's renderer does.
    const rendered = await marked.parse(html);
    expect(rendered).not.toMatch(/<a |<img |<code>|<p>/);
    expect(rendered).toContain('[link](https://evil.example/)');
  });

  it('never shows a Bcc address in the failure text', async () => {
    const running = await startSmtpServer({
      onRcptTo: (address, _session, callback) =>
        callback(
          Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
            responseCode: 550,
          }),
        ),
    });
    try {
      const report = await deliverWithRetries({
        server: { host: '127.0.0.1', port: running.port, tls: 'none', ehloName: 'ci.example.com' },
        envelope: {
          from: 'ci@example.com',
          to: ['dev@example.com', 'Secret.Boss@example.com'],
          smtpUtf8: false,
        },
        message: Buffer.from('Subject: x\r\n\r\nx\r\n'),
        retries: 0,
        deadlineMs: 30_000,
      });
      const failure = adviseOnFailure(report.error);
      expect(failure).toContain('Secret.Boss@example.com');
      const html = await summaryOf({
        result: report.result,
        rejected: report.rejected,
        bcc: ['secret.boss@example.com'],
        failure,
      });
      expect(html.toLowerCase()).not.toContain('secret.boss');
      expect(html).toContain('dev@example.com');
      expect(html).toContain('Bcc recipient');
    } finally {
      await running.close();
    }
  });

  it('shows Bcc recipients only as a count, without their replies', async () => {
    const html = await summaryOf({
      ...sent,
      result: 'partial',
      accepted: [{ address: 'dev@example.com', reply: { code: 250, lines: ['OK'] } }],
      rejected: [
        {
          address: 'hidden1@example.com',
          reply: { code: 550, lines: ['<hidden1@example.com> unknown'] },
        },
        { address: 'hidden2@example.com', reply: { code: 550, lines: ['no'] } },
      ],
      bcc: ['hidden1@example.com', 'HIDDEN2@example.com'],
    });
    expect(html).not.toContain('hidden');
    expect(html).toContain('<th>Rejected</th><td>2 Bcc recipients</td>');
  });

  it('hides a Bcc address the server quotes in its response', async () => {
    const html = await summaryOf({
      ...sent,
      response: { code: 250, lines: ['2.0.0 queued for <boss@example.com>, dev@example.com'] },
    });
    expect(html.toLowerCase()).not.toContain('boss@');
    expect(html).toContain('queued for &lt;[Bcc recipient]&gt;, dev@example.com');
  });

  it('has a heading for every result', async () => {
    const headings = {
      failed: '❌ Email not sent',
      unknown: '❓ Email may not have been delivered',
      'dry-run': '🧪 Dry run: email composed, not sent',
      verified: '🔌 SMTP connection verified',
    } as const;
    for (const [result, heading] of Object.entries(headings)) {
      writeFileSync(summaryFile, '');
      const html = await summaryOf({ result: result as keyof typeof headings });
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
  });

  it('lists the recipients of a dry run, Bcc counted', async () => {
    const html = await summaryOf({
      result: 'dry-run',
      recipients: ['a@example.com', 'b@example.com'],
      bcc: ['b@example.com'],
      emlPath: '/tmp/x.eml',
    });
    expect(html).toContain('<th>Recipients</th><td>a@example.com<br>1 Bcc recipient</td>');
    expect(html).toContain('<th>.eml file</th><td>/tmp/x.eml</td>');
  });

  it('shows a connection-url server as (connection-url), its host in no server text', async () => {
    const html = await summaryOf({
      ...sent,
      result: 'partial',
      server: { host: 'relay.internal.example', port: 2525 },
      serverSource: 'connection-url',
      response: { code: 250, lines: ['2.0.0 queued on RELAY.internal.example'] },
      rejected: [
        { address: 'x@example.com', reply: { code: 550, lines: ['relay.internal.example: no'] } },
      ],
      failure: 'Cannot reach [relay.internal.example]:2525',
    });
    expect(html).toContain('<th>Server</th><td>(connection-url):2525</td>');
    expect(html).toContain('queued on (connection-url)');
    expect(html).toContain('x@example.com: 550 (connection-url): no');
    expect(html).toContain('Cannot reach (connection-url):2525');
    expect(html.toLowerCase()).not.toContain('relay.internal.example');
  });

  it('does nothing outside a runner', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    await writeSummary(sent);
    expect(readFileSync(summaryFile, 'utf8')).toBe('');
  });
});

describe('escapeHtml', () => {
  it('escapes markup and keeps a value in one block', () => {
    expect(escapeHtml(`a & <b> "c" 'd'\r\n\ne`)).toBe(
      'a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;<br><br>e',
    );
  });
});
