/**
 * `npm run demo` (after `npm run build`): runs the action's bundle, `dist/index.js`, exactly as
 * a GitHub runner would for a push to main, against a real SMTP server embedded here on
 * 127.0.0.1 (STARTTLS with the test certificate, AUTH required), with no body given, so the
 * action sends its default run report. Then it shows what the server received: the outputs,
 * the headers and the text part, and saves the HTML part and the job summary to open.
 * Nothing leaves the machine. `npm run demo -- failure` shows a failed run's report.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { simpleParser } from 'mailparser';
import { Inputs } from '../src/action/constants.js';
import { parseOutputs } from '../test/helpers/github-output.js';
import { inputEnv, runAction, runnerNode } from './demo-runner.js';
import { demoUser, startDemoServer, type DemoServer, type ReceivedMail } from './demo-server.js';

// npm runs scripts from the project root (the script itself is bundled to a temporary folder).
const root = process.cwd();
const outDir = join(root, 'demo-output');
const eventPath = join(root, 'scripts', 'demo-event.json');
const statuses = ['success', 'failure', 'cancelled'];

/** The variables a runner sets for a push of two commits to main of octo-org/hello-mail. */
function runFacts(files: {
  temp: string;
  output: string;
  summary: string;
}): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/hello-mail',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: '',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'build',
    GITHUB_RUN_ID: '9876543210',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'monalisa',
    GITHUB_TRIGGERING_ACTOR: 'monalisa',
    GITHUB_WORKSPACE: root,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: files.temp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'smtp-notify demo',
    RUNNER_ENVIRONMENT: 'self-hosted',
  };
}

/** The step's `with:` block: the embedded server, its CA, the demo account, and no body. */
function demoInputs(server: DemoServer): Record<string, string> {
  return {
    [Inputs.server]: '127.0.0.1',
    [Inputs.port]: String(server.port),
    [Inputs.tls]: 'starttls',
    [Inputs.tlsCa]: server.ca,
    // The certificate names localhost; the name to check when connecting to an IP address.
    [Inputs.tlsServername]: 'localhost',
    [Inputs.username]: demoUser.username,
    [Inputs.password]: demoUser.password,
    [Inputs.from]: 'smtp-notify demo <ci@example.com>',
    [Inputs.to]: 'Dev Team <dev@example.com>',
    [Inputs.transcript]: 'true',
  };
}

function heading(title: string): void {
  const line = `── ${title} ${'─'.repeat(Math.max(0, 72 - title.length))}`;
  // Bold on a terminal only, so a saved log has no escape codes.
  console.log(process.stdout.isTTY ? `\n\x1b[1m${line}\x1b[0m` : `\n${line}`);
}

const shown = (path: string): string => relative(process.cwd(), path) || path;

async function showOutputs(path: string): Promise<void> {
  heading('Step outputs (GITHUB_OUTPUT)');
  const outputs = parseOutputs(await readFile(path, 'utf8'));
  for (const [name, value] of Object.entries(outputs)) console.log(`  ${name}: ${value}`);
  if (Object.keys(outputs).length === 0) console.log('  (none)');
}

async function showMessage(mail: ReceivedMail): Promise<void> {
  heading('What the server received');
  console.log(`  envelope: MAIL FROM:<${mail.from}> RCPT TO:<${mail.to.join('>, <')}>`);
  console.log(`  session:  ${mail.secure ? 'TLS' : 'NO TLS'}, authenticated as ${mail.user}`);
  const emlPath = join(outDir, 'message.eml');
  await writeFile(emlPath, mail.data);
  const text = mail.data.toString('utf8');
  const headerEnd = text.indexOf('\r\n\r\n');
  heading('Headers, as sent (the whole message is in ' + shown(emlPath) + ')');
  console.log(text.slice(0, headerEnd === -1 ? undefined : headerEnd));

  const parsed = await simpleParser(mail.data);
  heading(`Text part (Subject: ${parsed.subject ?? ''})`);
  console.log(parsed.text ?? '(no text part)');
  if (typeof parsed.html === 'string') {
    const htmlPath = join(outDir, 'report.html');
    await writeFile(htmlPath, parsed.html);
    heading('HTML part');
    console.log(`  saved to ${htmlPath}: open it in a browser`);
  }
}

/** Runs the action once; the exit code it finished with. */
async function runDemo(server: DemoServer, status: string, summary: string): Promise<number> {
  const temp = await mkdtemp(join(tmpdir(), 'smtp-notify-demo-'));
  const output = join(temp, 'github-output');
  await Promise.all([writeFile(output, ''), writeFile(summary, '')]);
  const node = runnerNode(root);
  heading(`Running dist/index.js as a runner would (${shown(node)})`);
  console.log(`  SMTP server: 127.0.0.1:${server.port}, STARTTLS, AUTH; job status: ${status}\n`);
  try {
    const code = await runAction({
      node,
      main: join(root, 'dist', 'index.js'),
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? temp,
        ...runFacts({ temp, output, summary }),
        ...inputEnv(root, status, demoInputs(server)),
      },
      print: (line) => console.log(`  │ ${line}`),
    });
    console.log(`\n  exit code ${code}`);
    await showOutputs(output);
    return code;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const status = process.argv[2] ?? 'success';
  if (!statuses.includes(status)) {
    console.error(`usage: npm run demo [-- ${statuses.join('|')}]`);
    return 2;
  }
  if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(eventPath)) {
    console.error(
      'Run the demo from the project root with `npm run demo` (it builds dist/ first).',
    );
    return 2;
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const summary = join(outDir, 'summary.md');
  const server = await startDemoServer(root);
  let code: number;
  try {
    code = await runDemo(server, status, summary);
  } finally {
    await server.close();
  }
  for (const mail of server.received) await showMessage(mail);
  heading('Job summary (GITHUB_STEP_SUMMARY)');
  console.log(`  ${summary}`);
  if (code === 0 && server.received.length === 0) {
    console.error('\nThe action reported success but the server received nothing.');
    return 1;
  }
  if (code !== 0) console.error(`\nThe action failed (exit code ${code}): see its log above.`);
  return code;
}

process.exitCode = await main();
