import { describe, expect, it } from 'vitest';
import { addInlineStyles, wrapHtmlDocument } from '../../src/template/html-document.js';

describe('addInlineStyles', () => {
  it('styles table cells with borders and keeps a GFM column alignment', () => {
    const styled = addInlineStyles('<table><tr><th align="center">A</th><td>B</td></tr></table>');
    expect(styled).toMatch(/^<table style="border-collapse:collapse[^"]*">/);
    expect(styled).toMatch(/<th align="center" style="border:1px solid #d0d7de[^"]*">A<\/th>/);
    expect(styled).not.toMatch(/<th[^>]*text-align/);
    expect(styled).toMatch(/<td style="border:1px solid #d0d7de[^"]*;text-align:left">B<\/td>/);
  });

  it('leaves an element the author styled alone and does not touch look-alike tags', () => {
    const html = '<td style="color:red">x</td><abbr>y</abbr><tbody><address>';
    expect(addInlineStyles(html)).toBe(html);
  });

  it('does not end a tag at a > inside a quoted attribute', () => {
    const styled = addInlineStyles('<a href="https://x.example/?q=a>b" title=\'c>d\'>link</a>');
    expect(styled).toBe(
      '<a href="https://x.example/?q=a>b" title=\'c>d\' style="color:#0969da">link</a>',
    );
  });

  it('keeps a self-closing slash', () => {
    expect(addInlineStyles('<hr />')).toMatch(/^<hr style="[^"]+" \/>$/);
  });
});

describe('wrapHtmlDocument', () => {
  it('puts the body in a complete document with inline styles only', () => {
    const document = wrapHtmlDocument('<p>hi</p>\n');
    expect(document).toMatch(/^<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">/);
    expect(document).toContain('\n<p>hi</p>\n</div>\n</body>\n</html>\n');
    expect(document).not.toContain('<style');
  });
});
