/**
 * The data a template sees: run facts in the shape of the workflow `github` context, the event
 * payload, a filtered environment, the `vars` input, the job status and the runner. Built from
 * plain data (the environment and the parsed event file) so this folder never needs `@actions/*`.
 */
import { keepWebUrl } from './value-filters.js';

/** GitHub run facts, snake_case like the `github` context of workflows. Strings; '' when unknown. */
export interface GitHubInfo {
  repository: string;
  repository_owner: string;
  /** `GITHUB_SHA`, as in the workflow context (for a pull request, the merge commit). */
  sha: string;
  /** 7 characters of the commit `commit_url` points at (the pull request head when there is one). */
  short_sha: string;
  ref: string;
  ref_name: string;
  ref_type: 'branch' | 'tag' | '';
  head_ref: string;
  base_ref: string;
  workflow: string;
  job: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  actor: string;
  triggering_actor: string;
  event_name: string;
  server_url: string;
  /** `${server_url}/${repository}/actions/runs/${run_id}`, plus `/attempts/N` when N > 1. */
  run_url: string;
  /** `${server_url}/${repository}/commit/${sha}`, for the pull request head when there is one. */
  commit_url: string;
  /** `event.compare` for a push, else the pull request's `${html_url}/files`, else ''. */
  compare_url: string;
  /**
   * `event.pull_request.html_url`, or for a comment on a pull request (`issue_comment`)
   * `event.issue.pull_request.html_url`, or ''.
   */
  pull_request_url: string;
}

export interface RunnerInfo {
  os: string;
  arch: string;
  name: string;
  environment: string;
}

export interface TemplateContext {
  github: GitHubInfo;
  /** The webhook payload (the file at GITHUB_EVENT_PATH); {} when absent. */
  event: Record<string, unknown>;
  /** The process environment minus INPUT_*, ACTIONS_*, GITHUB_TOKEN and SMTP_PROXY. */
  env: Record<string, string>;
  /** From the `vars` input, already rendered. */
  vars: Record<string, unknown>;
  /** Job status: success | failure | cancelled | '' (lowercased, trimmed). */
  status: string;
  runner: RunnerInfo;
}

export interface ContextSource {
  /** Normally `process.env`. */
  env: Readonly<Record<string, string | undefined>>;
  event: Record<string, unknown>;
  status: string;
}

/** The top-level names a template can use; error messages list them. */
export const CONTEXT_NAMES = ['github', 'event', 'env', 'vars', 'status', 'runner'] as const;

type Env = ContextSource['env'];

/**
 * Builds the template context. `vars` starts empty: the `vars` input is rendered against this
 * context first (see renderVars) and then stored in it.
 */
export function buildTemplateContext(source: ContextSource): TemplateContext {
  const event = isRecord(source.event) ? source.event : {};
  return {
    github: buildGitHubInfo(source.env, event),
    event,
    env: filterEnv(source.env),
    vars: {},
    status: source.status.trim().toLowerCase(),
    runner: {
      os: read(source.env, 'RUNNER_OS'),
      arch: read(source.env, 'RUNNER_ARCH'),
      name: read(source.env, 'RUNNER_NAME'),
      environment: read(source.env, 'RUNNER_ENVIRONMENT'),
    },
  };
}

function buildGitHubInfo(env: Env, event: Record<string, unknown>): GitHubInfo {
  const repository = read(env, 'GITHUB_REPOSITORY');
  const serverUrl = (read(env, 'GITHUB_SERVER_URL') || 'https://github.com').replace(/\/+$/, '');
  const sha = read(env, 'GITHUB_SHA');
  const ref = read(env, 'GITHUB_REF');
  const pullRequest = pick(event, 'pull_request');
  const pullRequestUrl =
    readWebUrl(pullRequest, 'html_url') ||
    readWebUrl(pick(pick(event, 'issue'), 'pull_request'), 'html_url');
  // For pull_request events GITHUB_SHA is the merge commit GitHub made for the test run (and for
  // pull_request_target, the base branch's tip): a commit nobody pushed. `github.sha` keeps that
  // value so it matches `${{ github.sha }}` in the workflow, but the link and short form a reader
  // clicks should show the commit the author pushed, the pull request head.
  const shownSha = readString(pick(pullRequest, 'head'), 'sha') || sha;
  const repoUrl = repository === '' ? '' : `${serverUrl}/${repository}`;
  return {
    repository,
    repository_owner: read(env, 'GITHUB_REPOSITORY_OWNER') || repository.split('/')[0] || '',
    sha,
    short_sha: shownSha.slice(0, 7),
    ref,
    ref_name: read(env, 'GITHUB_REF_NAME') || ref.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: readRefType(read(env, 'GITHUB_REF_TYPE'), ref),
    head_ref: read(env, 'GITHUB_HEAD_REF'),
    base_ref: read(env, 'GITHUB_BASE_REF'),
    workflow: read(env, 'GITHUB_WORKFLOW'),
    job: read(env, 'GITHUB_JOB'),
    run_id: read(env, 'GITHUB_RUN_ID'),
    run_number: read(env, 'GITHUB_RUN_NUMBER'),
    run_attempt: read(env, 'GITHUB_RUN_ATTEMPT'),
    actor: read(env, 'GITHUB_ACTOR'),
    triggering_actor: read(env, 'GITHUB_TRIGGERING_ACTOR'),
    event_name: read(env, 'GITHUB_EVENT_NAME'),
    server_url: serverUrl,
    run_url: buildRunUrl(repoUrl, read(env, 'GITHUB_RUN_ID'), read(env, 'GITHUB_RUN_ATTEMPT')),
    commit_url: repoUrl === '' || shownSha === '' ? '' : `${repoUrl}/commit/${shownSha}`,
    compare_url: readWebUrl(event, 'compare') || (pullRequestUrl && `${pullRequestUrl}/files`),
    pull_request_url: pullRequestUrl,
  };
}

function buildRunUrl(repoUrl: string, runId: string, attempt: string): string {
  if (repoUrl === '' || runId === '') return '';
  const base = `${repoUrl}/actions/runs/${runId}`;
  // The plain run URL shows the latest attempt; a re-run's report should link to its own.
  return /^\d+$/.test(attempt) && Number(attempt) > 1 ? `${base}/attempts/${attempt}` : base;
}

function readRefType(declared: string, ref: string): GitHubInfo['ref_type'] {
  if (declared === 'branch' || declared === 'tag') return declared;
  if (ref.startsWith('refs/heads/')) return 'branch';
  if (ref.startsWith('refs/tags/')) return 'tag';
  return '';
}

// Names a template must never see. INPUT_* holds every action input, the SMTP password among
// them; ACTIONS_* holds the runner's runtime and OIDC request tokens; SMTP_PROXY may carry proxy
// credentials. Compared case-insensitively because Windows runners treat names that way.
const HIDDEN_ENV = /^(INPUT_|ACTIONS_)|^(GITHUB_TOKEN|SMTP_PROXY)$/i;

function filterEnv(env: Env): Record<string, string> {
  const entries = Object.entries(env).filter(
    (entry): entry is [string, string] =>
      typeof entry[1] === 'string' && !HIDDEN_ENV.test(entry[0]),
  );
  // fromEntries defines own properties, so a variable named `__proto__` stays a plain key.
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function read(env: Env, name: string): string {
  return (env[name] ?? '').trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function readString(value: unknown, key: string): string {
  const found = pick(value, key);
  return typeof found === 'string' ? found : '';
}

/**
 * A payload link, kept only when it is an absolute http(s) URL in one piece (keepWebUrl, the
 * `web_url` filter). GitHub's payloads only hold such links, but a payload can be forged (a
 * workflow_dispatch or repository_dispatch sender, a runner other than GitHub's), and these
 * become hrefs: a `javascript:` value must not. Templates can print them without `web_url`.
 */
function readWebUrl(value: unknown, key: string): string {
  return keepWebUrl(readString(value, key));
}
