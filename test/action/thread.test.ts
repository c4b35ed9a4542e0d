import { describe, expect, it } from 'vitest';
import { createThreadHeaders, createThreadId } from '../../src/action/thread.js';
import { composeMessage } from '../../src/mime/index.js';

const facts = {
  server_url: 'https://github.com',
  repository: 'acme/widgets',
  workflow: 'CI',
  ref: 'refs/heads/main',
};

describe('createThreadId', () => {
  it('is stable for one workflow on one ref, and a valid msg-id the composer accepts', () => {
    const id = createThreadId(facts);
    expect(id).toBe(createThreadId({ ...facts }));
    expect(id).toMatch(/^<[0-9a-f]{64}@thread\.smtp-notify\.invalid>$/);
    const composed = composeMessage({
      from: 'ci@example.com',
      to: 'dev@example.com',
      text: 'x',
      inReplyTo: id,
      references: [id],
    });
    expect(Buffer.from(composed.bytes).toString()).toContain(`\r\nReferences: ${id}\r\n`);
  });

  it.each(['server_url', 'repository', 'workflow', 'ref'] as const)(
    'changes when %s changes',
    (key) => {
      expect(createThreadId({ ...facts, [key]: `${facts[key]}x` })).not.toBe(createThreadId(facts));
    },
  );

  it('does not confuse where one part ends and the next begins', () => {
    const a = createThreadId({ ...facts, repository: 'acme/widgets', workflow: 'CI' });
    const b = createThreadId({ ...facts, repository: 'acme/widgetsC', workflow: 'I' });
    expect(a).not.toBe(b);
  });
});

describe('createThreadHeaders', () => {
  const parent = '<previous@example.com>';

  it('adds nothing without thread or in-reply-to', () => {
    expect(createThreadHeaders(facts, { thread: false, inReplyTo: undefined })).toEqual({
      inReplyTo: undefined,
      references: [],
    });
  });

  it('answers an explicit in-reply-to without thread', () => {
    expect(createThreadHeaders(facts, { thread: false, inReplyTo: parent })).toEqual({
      inReplyTo: parent,
      references: [parent],
    });
  });

  it('with thread, names the thread id as parent and root', () => {
    const id = createThreadId(facts);
    expect(createThreadHeaders(facts, { thread: true, inReplyTo: undefined })).toEqual({
      inReplyTo: id,
      references: [id],
    });
  });

  it('with thread and in-reply-to, keeps the explicit parent and puts the thread root first', () => {
    const id = createThreadId(facts);
    expect(createThreadHeaders(facts, { thread: true, inReplyTo: parent })).toEqual({
      inReplyTo: parent,
      references: [id, parent],
    });
  });
});
