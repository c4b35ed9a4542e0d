// readSettings on valid inputs: what an absent input means, and how the runner's variables are
// read. What each input becomes: inputs-server.test.ts and inputs-message.test.ts.
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../src/action/settings.js';
import { baseInputs, settingsOf } from './inputs-env.js';

describe('readSettings defaults', () => {
  it('fills in every default for the minimal send configuration', async () => {
    const settings = await settingsOf({ ...baseInputs, server: 'smtp.example.com' });
    expect(settings).toEqual({
      mode: 'send',
      server: { host: 'smtp.example.com', port: 587, tls: 'starttls' },
      tlsVerify: true,
      serverSource: 'inputs',
      timeoutSeconds: 300,
      retries: 2,
      message: {
        from: 'ci@example.com',
        to: 'dev@example.com',
        cc: '',
        bcc: '',
        replyTo: '',
        subject: undefined,
        body: undefined,
        htmlBody: undefined,
        markdown: false,
        headers: [],
        priority: 'normal',
        inReplyTo: undefined,
        thread: false,
      },
      attachments: { patterns: [], ifNoFilesFound: 'warn', maxBytes: 25_000_000 },
      // No GITHUB_WORKSPACE: input paths start in the current directory.
      workspace: process.cwd(),
      vars: '',
      status: '',
      onRejectedRecipient: 'fail',
      transcript: false,
    } satisfies Settings);
  });

  it('reads inputs the way the runner names them: hyphens kept, value trimmed', async () => {
    const settings = await settingsOf(
      {},
      {
        INPUT_SERVER: '  smtp.example.com\n',
        INPUT_FROM: 'ci@example.com',
        INPUT_TO: 'dev@example.com',
        'INPUT_TLS-VERIFY': 'false',
        'INPUT_ON-REJECTED-RECIPIENT': 'warn',
        // A variable with underscores is not the input: the runner never writes it that way.
        INPUT_IF_NO_FILES_FOUND: 'error',
      },
    );
    expect(settings.server?.host).toBe('smtp.example.com');
    expect(settings.tlsVerify).toBe(false);
    expect(settings.onRejectedRecipient).toBe('warn');
    expect(settings.attachments.ifNoFilesFound).toBe('warn');
  });

  it('treats a blank input as absent', async () => {
    const settings = await settingsOf({ ...baseInputs, retries: '  ', markdown: '', tls: '\n' });
    expect(settings).toMatchObject({ retries: 2, message: { markdown: false } });
    expect(settings.server?.tls).toBe('starttls');
  });
});

describe('readSettings on valid inputs', () => {
  it('leaves out the options that were not given', async () => {
    const settings = await settingsOf(baseInputs);
    expect(Object.keys(settings.server ?? {}).sort()).toEqual(['host', 'port', 'tls']);
  });

  it('ignores SMTP_PROXY when blank', async () => {
    const settings = await settingsOf(baseInputs, { SMTP_PROXY: '  ' });
    expect(settings.server?.proxy).toBeUndefined();
  });
});
