import { describe, expect, it } from 'vitest';
import { buildTemplateContext } from '../../src/template/index.js';
import { PLANTED_SECRETS, fixtureContext, fixtureEnv, loadEvent } from './template-fixtures.js';

describe('buildTemplateContext', () => {
  it('gives a push its run facts and ready-made links', () => {
    const { github, runner, status, vars } = fixtureContext('push', 'success');
    expect(github).toEqual({
      repository: 'acme/widgets',
      repository_owner: 'acme',
      sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      short_sha: '0d1a26e',
      ref: 'refs/heads/main',
      ref_name: 'main',
      ref_type: 'branch',
      head_ref: '',
      base_ref: '',
      workflow: 'CI',
      job: 'test',
      run_id: '9123456789',
      run_number: '42',
      run_attempt: '1',
      actor: 'monalisa',
      triggering_actor: 'monalisa',
      event_name: 'push',
      server_url: 'https://github.com',
      run_url: 'https://github.com/acme/widgets/actions/runs/9123456789',
      commit_url: 'https://github.com/acme/widgets/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      compare_url: 'https://github.com/acme/widgets/compare/6113728f27ae...0d1a26e67d8f',
      pull_request_url: '',
    });
    expect(runner).toEqual({
      os: 'Linux',
      arch: 'X64',
      name: 'GitHub Actions 12',
      environment: 'github-hosted',
    });
    expect(status).toBe('success');
    expect(vars).toEqual({});
  });

  it('keeps github.sha as the merge commit of a pull request but links the head commit', () => {
    const { github, event } = fixtureContext('pull_request');
    expect(github.sha).toBe('5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f');
    expect(github.short_sha).toBe('c0ffee2');
    expect(github.commit_url).toBe(
      'https://github.com/acme/widgets/commit/c0ffee254729296a45a3885639ac7a1fa1d6e6b3',
    );
    expect(github.pull_request_url).toBe('https://github.com/acme/widgets/pull/57');
    expect(github.compare_url).toBe('https://github.com/acme/widgets/pull/57/files');
    expect(github.head_ref).toBe('fix-parser');
    expect(github.base_ref).toBe('main');
    expect(event).toEqual(loadEvent('pull_request'));
  });

  it('knows a release tag and links a re-run to its own attempt', () => {
    const release = fixtureContext('release').github;
    expect(release).toMatchObject({ ref_name: 'v2.3.0', ref_type: 'tag', compare_url: '' });
    const dispatch = fixtureContext('workflow_dispatch').github;
    expect(dispatch.run_url).toBe(
      'https://github.com/acme/widgets/actions/runs/9123456789/attempts/2',
    );
  });

  it('passes the event payload through for templates', () => {
    expect(fixtureContext('workflow_dispatch').event).toMatchObject({
      inputs: { environment: 'staging', dry_run: 'true' },
    });
    expect(fixtureContext('release').event).toMatchObject({
      release: { tag_name: 'v2.3.0', name: 'v2.3.0 – Polite retries' },
    });
  });

  it('hides inputs, runner tokens, GITHUB_TOKEN and SMTP_PROXY from env', () => {
    const { env } = fixtureContext('push');
    for (const name of Object.keys(PLANTED_SECRETS)) expect(env).not.toHaveProperty(name);
    const everything = JSON.stringify(fixtureContext('push'));
    for (const secret of Object.values(PLANTED_SECRETS)) expect(everything).not.toContain(secret);
    expect(env).toMatchObject({ CI: 'true', GITHUB_WORKFLOW: 'CI', RUNNER_OS: 'Linux' });
  });

  it('hides those names in any letter case, as a Windows runner may spell them', () => {
    const { env } = buildTemplateContext({
      env: { input_password: 'a', Actions_Runtime_Token: 'b', github_token: 'c', KEEP: 'd' },
      event: {},
      status: '',
    });
    expect(env).toEqual({ KEEP: 'd' });
  });

  it('lowercases and trims the status', () => {
    const context = buildTemplateContext({ env: {}, event: {}, status: '  Failure\n' });
    expect(context.status).toBe('failure');
  });

  it('keeps payload links only when they are web addresses a reader may follow', () => {
    for (const url of [
      'javascript:alert(1)',
      'https://github.com/acme/widgets/pull/57\u202e',
      'https://github.com/a b',
      '/acme/widgets/pull/57',
    ]) {
      const event = { pull_request: { html_url: url }, compare: url };
      const { github } = buildTemplateContext({ env: {}, event, status: '' });
      expect([github.pull_request_url, github.compare_url]).toEqual(['', '']);
    }
  });

  it('leaves unknown facts empty instead of building broken links', () => {
    const { github, runner, event } = buildTemplateContext({ env: {}, event: {}, status: '' });
    expect(github.server_url).toBe('https://github.com');
    expect(github.run_url).toBe('');
    expect(github.commit_url).toBe('');
    expect(github.compare_url).toBe('');
    expect(github.ref_type).toBe('');
    expect(runner.os).toBe('');
    expect(event).toEqual({});
  });

  it('derives ref name and type from GITHUB_REF when the newer variables are absent', () => {
    const env = { GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_REPOSITORY: 'acme/widgets' };
    const { github } = buildTemplateContext({ env, event: {}, status: '' });
    expect(github).toMatchObject({ ref_name: 'v1.0.0', ref_type: 'tag', repository_owner: 'acme' });
  });

  it('uses a GitHub Enterprise server URL without a trailing slash', () => {
    const env = {
      ...fixtureEnv('push'),
      GITHUB_SERVER_URL: 'https://git.acme.example/',
    };
    const { github } = buildTemplateContext({ env, event: {}, status: '' });
    expect(github.run_url).toBe('https://git.acme.example/acme/widgets/actions/runs/9123456789');
  });

  it('keeps an environment variable named __proto__ as a plain key', () => {
    const { env } = buildTemplateContext({ env: { ['__proto__']: 'x' }, event: {}, status: '' });
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
    expect(Object.hasOwn(env, '__proto__')).toBe(true);
  });
});
