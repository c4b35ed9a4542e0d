import { describe, expect, it } from 'vitest';
import { ActionInputError } from '../../src/action/action-input-error.js';
import {
  buildMessageInput,
  composeActionMessage,
  inputForField,
  listBccAddresses,
} from '../../src/action/message.js';
import type { MessageSettings } from '../../src/action/settings.js';
import { fixtureContext } from '../template/template-fixtures.js';

const message: MessageSettings = {
  from: 'CI <ci@example.com>',
  to: 'dev@example.com',
  cc: '',
  bcc: 'audit@example.com, Ops <ops@example.com>',
  replyTo: '',
  subject: undefined,
  body: undefined,
  htmlBody: undefined,
  markdown: false,
  headers: [['X-Run', '42']],
  priority: 'high',
  inReplyTo: undefined,
  thread: false,
};
const github = fixtureContext('push').github;

describe('buildMessageInput', () => {
  it('leaves empty address lists and missing parts out, and passes the rest', () => {
    const input = buildMessageInput(
      message,
      { subject: 's', text: 't', html: undefined },
      [],
      github,
    );
    expect(input).toEqual({
      from: 'CI <ci@example.com>',
      to: 'dev@example.com',
      bcc: 'audit@example.com, Ops <ops@example.com>',
      subject: 's',
      text: 't',
      attachments: [],
      headers: [['X-Run', '42']],
      priority: 'high',
      references: [],
    });
  });

  it('writes no priority headers for normal priority: readers assume it', () => {
    const input = buildMessageInput(
      { ...message, priority: 'normal' },
      { subject: 's', text: 't', html: undefined },
      [],
      github,
    );
    expect('priority' in input).toBe(false);
  });

  it('threads with thread: true', () => {
    const input = buildMessageInput(
      { ...message, thread: true },
      { subject: 's', text: undefined, html: '<p>h</p>' },
      [],
      github,
    );
    expect(input.inReplyTo).toMatch(/@thread\.smtp-notify\.invalid>$/);
    expect(input.references).toEqual([input.inReplyTo]);
    expect(input.html).toBe('<p>h</p>');
    expect('text' in input).toBe(false);
  });
});

describe('composeActionMessage', () => {
  it('reports a composer refusal under the input name a workflow uses', () => {
    const error = (() => {
      try {
        composeActionMessage({
          from: 'ci@example.com',
          to: 'a@example.com',
          text: 'x',
          inReplyTo: 'nope',
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ActionInputError);
    expect((error as ActionInputError).input).toBe('in-reply-to');
    expect((error as Error).message).toMatch(/^Input "in-reply-to": "nope" is not a message id/);
  });

  it.each([
    ['replyTo', 'reply-to'],
    ['headers[2]', 'headers'],
    ['attachments[0].filename', 'attachments'],
    ['text', 'body'],
    ['html', 'html-body'],
  ])('maps the field %s to the input %s', (field, input) => {
    expect(inputForField(field)).toBe(input);
  });
});

describe('listBccAddresses', () => {
  it('gives the bare addresses, or none', () => {
    expect(listBccAddresses(message.bcc)).toEqual(['audit@example.com', 'ops@example.com']);
    expect(listBccAddresses('  ')).toEqual([]);
  });
});
