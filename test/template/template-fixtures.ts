/**
 * What the runner gives a step for each fixture event: the GITHUB_* and RUNNER_* variables as a
 * hosted runner sets them, plus secrets the context must never expose. The payloads are the
 * trimmed webhook bodies in test/fixtures/events.
 */
import { readFileSync } from 'node:fs';
import { buildTemplateContext, type TemplateContext } from '../../src/template/index.js';

export type FixtureEvent = 'push' | 'pull_request' | 'release' | 'workflow_dispatch';

/** Secret values planted in the environment; none may be reachable from a template. */
export const PLANTED_SECRETS = {
  INPUT_PASSWORD: 'hunter2-smtp-password',
  'INPUT_CONNECTION-URL': 'smtps://mailer:s3cr3t-url-pass@smtp.acme.example:465',
  ACTIONS_RUNTIME_TOKEN: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.runtime',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-value',
  GITHUB_TOKEN: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
  SMTP_PROXY: 'http://proxyuser:proxy-pass@proxy.acme.example:3128',
} as const;

const COMMON = {
  CI: 'true',
  HOME: '/home/runner',
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_REPOSITORY_OWNER: 'acme',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_JOB: 'test',
  GITHUB_RUN_ID: '9123456789',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'monalisa',
  GITHUB_TRIGGERING_ACTOR: 'monalisa',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_WORKSPACE: '/home/runner/work/widgets/widgets',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  RUNNER_NAME: 'GitHub Actions 12',
  RUNNER_ENVIRONMENT: 'github-hosted',
  ...PLANTED_SECRETS,
};

/** A run on the head of main: what a push and a manual dispatch there have in common. */
const ON_MAIN = {
  GITHUB_SHA: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_HEAD_REF: '',
  GITHUB_BASE_REF: '',
};

const PER_EVENT: Record<FixtureEvent, Record<string, string>> = {
  push: { GITHUB_EVENT_NAME: 'push', ...ON_MAIN },
  pull_request: {
    GITHUB_EVENT_NAME: 'pull_request',
    // The merge commit GitHub creates for the run, not the head the contributor pushed.
    GITHUB_SHA: '5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
    GITHUB_REF: 'refs/pull/57/merge',
    GITHUB_REF_NAME: '57/merge',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_HEAD_REF: 'fix-parser',
    GITHUB_BASE_REF: 'main',
    GITHUB_ACTOR: 'outside-contributor',
    GITHUB_TRIGGERING_ACTOR: 'outside-contributor',
  },
  release: {
    GITHUB_EVENT_NAME: 'release',
    GITHUB_SHA: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
    GITHUB_REF: 'refs/tags/v2.3.0',
    GITHUB_REF_NAME: 'v2.3.0',
    GITHUB_REF_TYPE: 'tag',
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: '',
  },
  workflow_dispatch: {
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    ...ON_MAIN,
    GITHUB_RUN_ATTEMPT: '2',
  },
};

export function fixtureEnv(event: FixtureEvent): Record<string, string> {
  return {
    ...COMMON,
    ...PER_EVENT[event],
    GITHUB_EVENT_PATH: `/home/runner/work/_temp/_github_workflow/event.json`,
  };
}

export function loadEvent(event: FixtureEvent): Record<string, unknown> {
  const url = new URL(`../fixtures/events/${event}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

export function fixtureContext(event: FixtureEvent, status = 'success'): TemplateContext {
  return buildTemplateContext({ env: fixtureEnv(event), event: loadEvent(event), status });
}
