/**
 * A Markdown body becomes both parts of the message: the text part is the template rendered as
 * text (Markdown reads well as plain text), the HTML part is GitHub Flavored Markdown rendered
 * by `marked` from a second render in which every value is escaped for Markdown and HTML.
 */
import { Marked, type Tokens } from 'marked';
import type { TemplateContext } from './context.js';
import { wrapHtmlDocument } from './html-document.js';
import { ESCAPED_REFERENCE, ESCAPED_REFERENCE_IN_CODE, escapeHtml } from './output-format.js';
import { renderWithFlavour, type TemplateSource } from './render.js';
import { dropUnsafeUrls, isSafeUrl } from './safe-url.js';

// breaks: a single line break is a <br>, as in GitHub comments. Without it the two lines
// `Status: failed` and `Commit: abc1234` of a body would run into one line in the HTML part
// while the text part shows two.
const markdown = new Marked({
  gfm: true,
  breaks: true,
  // A value's punctuation arrives as references (see escapeMarkdown), and marked leaves them in
  // a destination as written: decode ours, so `{{ github.run_url }}` gives a plain href.
  walkTokens(token) {
    if (token.type === 'link' || token.type === 'image') {
      const link = token as Tokens.Link | Tokens.Image;
      link.href = link.href.replace(ESCAPED_REFERENCE, (_match, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
    }
  },
  renderer: {
    // A link or image whose URL is not http(s), mailto, tel, cid or #anchor renders as its text:
    // a `javascript:` or `data:` URL has no use in mail, and a value printed into a link's
    // destination (`[pr]({{ value }})`) must not be able to make one. Relative URLs have no
    // base in a mail message and are not links either. marked leaves character references in
    // an href for the browser to decode (a value's punctuation arrives as references), so the
    // check reads the URL as the browser will: `java&#9;script&colon;` is `javascript:`.
    link(token) {
      return isSafeUrl(token.href, { relative: false })
        ? false
        : this.parser.parseInline(token.tokens);
    },
    image(token) {
      return isSafeUrl(token.href, { relative: false }) ? false : escapeHtml(token.text);
    },
  },
});

/**
 * The template's own Markdown (tables, links, emphasis, even raw HTML: the template is the
 * workflow author's) renders as HTML. A value (`{{ event.pull_request.title }}`) cannot add any:
 * its punctuation becomes character references and its line breaks spaces, so `**x**`,
 * `[a](javascript:b)` or `<img onerror>` in a title show as the characters typed, in Markdown
 * text and in HTML the author wrote alike. `| raw` makes the template author responsible for
 * the value. Whatever wrote it, no URL attribute of the result is a script or data URL.
 */
export async function renderMarkdown(
  source: TemplateSource,
  context: TemplateContext,
): Promise<{ text: string; html: string }> {
  const text = await renderWithFlavour(source, context, 'text');
  const escaped = await renderWithFlavour(source, context, 'markdown');
  const body = restoreCodeText(markdown.parse(escaped, { async: false }));
  // Checked last: the wrapper adds attributes of its own, and a quote the author left open
  // would run into them.
  return { text, html: dropUnsafeUrls(wrapHtmlDocument(body)) };
}

// The content of each code span and block that marked wrote (it writes no attribute with `<`).
const CODE_ELEMENT = /(<code(?:\s[^>]*)?>)([^<]*)(<\/code>)/g;

/**
 * Inside code, Markdown shows text as typed, so marked escapes the `&` of a value's character
 * references and the reader would see `release&#x2F;v1`. Undoing that one escape gives the
 * browser the reference to decode: the value shows as typed, and still cannot make a tag.
 */
function restoreCodeText(html: string): string {
  return html.replace(
    CODE_ELEMENT,
    (_, open: string, code: string, close: string) =>
      `${open}${code.replace(ESCAPED_REFERENCE_IN_CODE, '&$1;')}${close}`,
  );
}
