import { describe, expect, it } from 'vitest';
import { dropUnsafeUrls, isSafeUrl, normaliseUrl } from '../../src/template/safe-url.js';

describe('normaliseUrl', () => {
  it('reads a URL as a browser does: references decoded, controls trimmed, tabs dropped', () => {
    expect(normaliseUrl('&#106;ava&#x73;cript&colon;x')).toBe('javascript:x');
    expect(normaliseUrl('&#0000106avascript:x')).toBe('javascript:x'); // no `;` needed
    expect(normaliseUrl(' \u0000\u001fjava&Tab;scr\nipt:x \u0007')).toBe('javascript:x');
    expect(normaliseUrl('https://a.example/?q=1&amp;r=2')).toBe('https://a.example/?q=1&r=2');
    expect(normaliseUrl('&unknown;')).toBe('&unknown;');
  });
});

describe('isSafeUrl', () => {
  it.each(['https://a.example', 'HTTP://a.example', 'mailto:a@b.example', 'tel:+1555', 'cid:logo'])(
    'allows %j',
    (url) => expect(isSafeUrl(url, { relative: false })).toBe(true),
  );

  it.each([
    'javascript:alert(1)',
    'vbscript:x',
    'data:text/html,x',
    'data:image/svg+xml,x',
    'file:///etc/passwd',
    'java&unknown;script:x',
  ])('refuses %j', (url) => expect(isSafeUrl(url, { relative: true })).toBe(false));

  it('takes a URL with no scheme only when told relative URLs are fine, but always #fragment', () => {
    expect(isSafeUrl('docs/x.md', { relative: false })).toBe(false);
    expect(isSafeUrl('docs/x.md', { relative: true })).toBe(true);
    expect(isSafeUrl('#top', { relative: false })).toBe(true);
    expect(isSafeUrl('/a:b', { relative: true })).toBe(true); // the colon is in the path
  });
});

describe('dropUnsafeUrls', () => {
  it.each([
    ['<a href="javascript:alert(1)">x</a>', '<a >x</a>'],
    ['<a/href=javascript:alert(1)>x</a>', '<a/>x</a>'],
    ['<a title="t"href="javascript:alert(1)">x</a>', '<a title="t">x</a>'],
    ["<A HREF='JAVASCRIPT:alert(1)' class=c>", '<A  class=c>'],
    ['<a href = " javascript&colon;x">', '<a >'],
    ['<svg><a xlink:href="javascript:x"></a></svg>', '<svg><a ></a></svg>'],
    ['<form action="javascript:x"><button formaction="vbscript:y">', '<form ><button >'],
    ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', '<img >'],
    ['<a href="javascript:x', '<a '],
  ])('drops the script URL from %j', (html, expected) => {
    expect(dropUnsafeUrls(html)).toBe(expected);
  });

  it.each([
    '<a href="https://a.example/?a=1&amp;b=2" title="javascript:not a url">x</a>',
    '<a href=https://a.example/x?y=javascript:1>x</a>',
    '<img src="cid:logo" alt="javascript:">',
    '<p data-x="javascript:x">javascript:alert(1) <b>text</b></p>',
    '<!--[if mso]><table width="600"><tr><td><![endif]-->',
    'a < b and <3 and <a',
  ])('leaves %j as it is', (html) => {
    expect(dropUnsafeUrls(html)).toBe(html);
  });

  it('finds no tag inside a quoted value', () => {
    const html = '<a title="<a href=javascript:x>" href="https://a.example">x</a>';
    expect(dropUnsafeUrls(html)).toBe(html);
  });

  it('reads a page of quotes that never close in one pass', () => {
    // A regular expression per tag would scan to the end for each of these: hours, not a moment.
    const html = "<a x='".repeat(400_000);
    expect(dropUnsafeUrls(html)).toBe(html);
  });
});
