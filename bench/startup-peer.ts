/**
 * The start-up peer: the small script a workflow author would write instead of smtp-notify's
 * dry run, with nodemailer and a Markdown library (`marked`). bench/startup.ts bundles it with
 * esbuild into one file, as dist/index.js is bundled, and runs it under the same Node with the
 * same environment. It does the same job as `mode: dry-run`: read the inputs and the event,
 * fill in the template variables, render the Markdown, compose the message, write the .eml file,
 * print it and set the outputs; it connects nowhere.
 *
 * It does less than the action (a plain `{{ name }}` replacement in place of Liquid over the
 * whole context, no input checks, no step summary), which is in the peer's favour.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import MailComposer from 'nodemailer/lib/mail-composer';

function input(name: string): string {
  return (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
}

/** The variables a template may use: a few facts of the run and the event payload. */
function readContext(): Record<string, string> {
  const event = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH ?? '', 'utf8')) as {
    head_commit?: { message?: string };
  };
  return {
    'github.repository': process.env.GITHUB_REPOSITORY ?? '',
    'github.ref_name': process.env.GITHUB_REF_NAME ?? '',
    'github.sha': process.env.GITHUB_SHA ?? '',
    'github.actor': process.env.GITHUB_ACTOR ?? '',
    'github.run_number': process.env.GITHUB_RUN_NUMBER ?? '',
    'github.event.head_commit.message': event.head_commit?.message ?? '',
  };
}

function fill(template: string, context: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => context[name] ?? '');
}

async function main(): Promise<void> {
  const context = readContext();
  const text = fill(input('body'), context);
  const message = new MailComposer({
    from: input('from'),
    to: input('to')
      .split(/[,\n]/)
      .map((address) => address.trim())
      .filter((address) => address !== ''),
    subject: fill(input('subject'), context),
    text,
    html: await marked.parse(text, { gfm: true }),
  }).compile();
  const bytes = await message.build();
  const messageId = message.messageId();
  const folder = process.env.RUNNER_TEMP ?? tmpdir();
  const emlPath = join(folder, `peer-${messageId.replace(/[^A-Za-z0-9._-]/g, '-')}.eml`);
  writeFileSync(emlPath, bytes);
  console.log(`Dry run: nothing was sent. The message (${bytes.length} bytes) is in ${emlPath}:`);
  for (const line of bytes.toString('utf8').split(/\r?\n/)) console.log(`eml| ${line}`);
  const outputs = process.env.GITHUB_OUTPUT;
  if (outputs !== undefined && outputs !== '') {
    appendFileSync(outputs, `message-id=${messageId}\nresult=dry-run\neml-path=${emlPath}\n`);
  }
}

await main();
