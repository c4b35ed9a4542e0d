/**
 * Wraps HTML rendered from Markdown in a small document styled for mail readers. Gmail drops
 * `<style>` blocks in many views and Outlook renders with Word's engine, so every rule is an
 * inline `style` attribute on the element it styles, and only simple properties are used.
 */

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
const MONO = 'ui-monospace,SFMono-Regular,Menlo,Consolas,monospace';
const BORDER = '1px solid #d0d7de';

const ELEMENT_STYLES: Record<string, string> = {
  table: 'border-collapse:collapse;margin:12px 0',
  th: `border:${BORDER};padding:6px 12px;background:#f6f8fa;font-weight:600`,
  td: `border:${BORDER};padding:6px 12px`,
  pre: `background:#f6f8fa;padding:12px;border-radius:6px;overflow:auto;font-family:${MONO};font-size:13px`,
  code: `font-family:${MONO};font-size:90%;background:#f6f8fa;border-radius:4px;padding:1px 4px`,
  blockquote: `margin:12px 0;padding:0 12px;border-left:4px solid #d0d7de;color:#59636e`,
  a: 'color:#0969da',
  hr: 'border:0;border-top:1px solid #d0d7de;margin:16px 0',
  img: 'max-width:100%',
};

// An opening tag of a styled element, its attributes matched by the HTML attribute grammar
// (HTML 13.1.2.3) so that a `>` inside a quoted value does not end the match early.
const ATTRIBUTE = String.raw`\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>\x60]+))?`;
const OPENING_TAG = new RegExp(
  `<(${Object.keys(ELEMENT_STYLES).join('|')})((?:${ATTRIBUTE})*)\\s*(/?)>`,
  'gi',
);

/** Adds the inline style of each known element that has none yet. */
export function addInlineStyles(html: string): string {
  return html.replace(OPENING_TAG, (tag, name: string, attributes: string, slash: string) => {
    const lower = name.toLowerCase();
    if (/\sstyle\s*=/i.test(attributes)) return tag;
    let style = ELEMENT_STYLES[lower] ?? '';
    // marked writes a GFM column alignment as `align`; a CSS text-align would override it.
    if ((lower === 'th' || lower === 'td') && !/\salign\s*=/i.test(attributes)) {
      style += ';text-align:left';
    }
    return `<${name}${attributes} style="${style}"${slash === '' ? '' : ' /'}>`;
  });
}

export function wrapHtmlDocument(body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '</head>',
    '<body style="margin:0;padding:0;background:#ffffff">',
    `<div style="max-width:760px;margin:0 auto;padding:16px;font-family:${FONT};` +
      'font-size:14px;line-height:1.5;color:#1f2328">',
    addInlineStyles(body).trim(),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
