import { describe, expect, it } from 'vitest';
import { composeMessage } from '../../src/mime/index.js';
import { renderDefaultSubject, renderRunReport } from '../../src/template/index.js';
import { fixedOptions, parseMessage, wireProblems } from '../mime/compose-helpers.js';
import { fixtureContext, type FixtureEvent } from './template-fixtures.js';

const EVENTS: FixtureEvent[] = ['push', 'pull_request', 'release', 'workflow_dispatch'];

describe.each(EVENTS)('the run report for %s, sent as a message', (name) => {
  it('comes back from a MIME reader as rendered: subject, text part and HTML part', async () => {
    const ctx = fixtureContext(name, name === 'release' ? 'cancelled' : 'failure');
    const [subject, { text, html }] = await Promise.all([
      renderDefaultSubject(ctx),
      renderRunReport(ctx),
    ]);
    const message = composeMessage(
      { from: 'ci@acme.example', to: 'dev@acme.example', subject, text, html },
      fixedOptions(),
    );
    expect(wireProblems(message.bytes)).toEqual([]);
    const parsed = await parseMessage(message.bytes);
    expect(parsed.subject).toBe(subject);
    // A message carries line breaks as CRLF (RFC 2046 4.1.1); a reader gives them back as LF,
    // so the CR LF of the pull request title comes back as one LF.
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(html.replaceAll('\r\n', '\n'));
  });
});
