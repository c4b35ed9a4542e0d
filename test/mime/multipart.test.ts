import { describe, expect, it } from 'vitest';
import { concatenateChunks, createLeafEntity, type MimeEntity } from '../../src/mime/entity.js';
import {
  createBoundary,
  createMultipart,
  planShape,
  type MessageShape,
} from '../../src/mime/multipart.js';
import { parseMessage, seededRandom } from './compose-helpers.js';

const BCHARS = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

function describeShape(shape: MessageShape): string {
  if (shape.kind === 'multipart') {
    return `${shape.subtype}(${shape.children.map(describeShape).join(', ')})`;
  }
  return 'index' in shape ? `${shape.kind}${shape.index}` : shape.kind;
}

const plan = (hasText: boolean, hasHtml: boolean, inlineCount = 0, attachmentCount = 0) =>
  describeShape(planShape({ hasText, hasHtml, inlineCount, attachmentCount }));

function textEntity(text: string): MimeEntity {
  return createLeafEntity({
    contentType: 'text/plain',
    typeParameters: [['charset', 'utf-8']],
    kind: 'text',
    content: new TextEncoder().encode(text),
  });
}

/** A random source that returns the given byte arrays in turn, then falls back to a seed. */
function scriptedRandom(...outputs: Uint8Array[]): (size: number) => Uint8Array {
  const fallback = seededRandom(99);
  return (size) => outputs.shift() ?? fallback(size);
}

describe('planShape', () => {
  it('uses a single part when there is one thing to send', () => {
    expect(plan(true, false)).toBe('text');
    expect(plan(false, true)).toBe('html');
    expect(plan(false, false, 0, 1)).toBe('attachment0');
  });

  it('puts text before HTML in multipart/alternative', () => {
    expect(plan(true, true)).toBe('alternative(text, html)');
  });

  it('keeps HTML with its inline parts in multipart/related', () => {
    expect(plan(false, true, 2)).toBe('related(html, inline0, inline1)');
    expect(plan(true, true, 1)).toBe('alternative(text, related(html, inline0))');
  });

  it('puts the body and then the attachments in multipart/mixed', () => {
    expect(plan(true, false, 0, 2)).toBe('mixed(text, attachment0, attachment1)');
    expect(plan(false, false, 0, 2)).toBe('mixed(attachment0, attachment1)');
    expect(plan(true, true, 1, 1)).toBe(
      'mixed(alternative(text, related(html, inline0)), attachment0)',
    );
  });

  it('refuses a message with nothing in it', () => {
    expect(() => plan(false, false)).toThrow(RangeError);
  });
});

describe('createBoundary', () => {
  it('is made of RFC 2046 5.1.1 bchars, at most 70 of them, from the random source', () => {
    const boundary = createBoundary([], seededRandom(5));
    expect(boundary).toMatch(BCHARS);
    expect(boundary.length).toBeLessThanOrEqual(70);
    expect(createBoundary([], seededRandom(5))).toBe(boundary);
    expect(createBoundary([], seededRandom(6))).not.toBe(boundary);
  });

  it('draws again when the first boundary occurs in a part', () => {
    const first = new Uint8Array(18);
    const collided = createBoundary([], scriptedRandom(first.slice()));
    const part = textEntity(`quoting an old message:\r\n--${collided}\r\n`);
    const boundary = createBoundary([part], scriptedRandom(first.slice()));
    expect(boundary).not.toBe(collided);
    expect(boundary).toMatch(BCHARS);
  });

  it('looks into nested parts and their headers', () => {
    const first = new Uint8Array(18).fill(7);
    const collided = createBoundary([], scriptedRandom(first.slice()));
    const inner = createMultipart('alternative', [textEntity(`x ${collided} y`)], seededRandom(3));
    expect(createBoundary([inner], scriptedRandom(first.slice()))).not.toBe(collided);
  });

  it('gives up with an error when the random source keeps repeating itself', () => {
    const stuck = () => new Uint8Array(18);
    const collided = createBoundary([], stuck);
    expect(() => createBoundary([textEntity(collided)], stuck)).toThrow(/not random/);
  });
});

describe('createMultipart', () => {
  it('writes delimiters, parts and the close delimiter that a reader splits back', async () => {
    const entity = createMultipart(
      'alternative',
      [textEntity('first\r\n'), textEntity('second')],
      seededRandom(1),
    );
    const boundary = /boundary="([^"]+)"/.exec(entity.headers)?.[1] ?? '';
    const body = Buffer.from(concatenateChunks(entity.body)).toString();
    expect(body).toBe(
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Transfer-Encoding: 7bit\r\n\r\nfirst\r\n` +
        `\r\n--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Transfer-Encoding: 7bit\r\n\r\nsecond` +
        `\r\n--${boundary}--\r\n`,
    );
    const parsed = await parseMessage(Buffer.from(`${entity.headers}\r\n${body}`));
    // mailparser joins the text parts of an alternative with a line break.
    expect(parsed.text).toBe('first\n\nsecond');
  });

  it('names the root type of multipart/related (RFC 2387 3.1)', () => {
    const entity = createMultipart('related', [textEntity('a')], seededRandom(1));
    expect(entity.headers).toMatch(/^Content-Type: multipart\/related; type="text\/html";/);
  });
});
