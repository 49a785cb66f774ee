/**
 * A note's body as inline markup. In the print edition a note is emitted inside the paragraph that
 * calls it (Paged.js floats it to the foot of the page), and an HTML parser closes an open <p> at the
 * first block element it meets, so a note's blocks are rendered as spans styled as blocks
 * (class `fn-<tag>`, see print.css). This works on tokens, never on finished HTML: the note's block
 * tokens are cloned and retagged, then rendered with the target's own renderer rules.
 */
import type { Token } from 'markdown-it';

/** Block tags that may appear in a note body and become spans. */
const BLOCK_TAGS = new Set([
  'p', 'ul', 'ol', 'li', 'blockquote', 'pre', 'div', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'figure', 'figcaption', 'hr', 'section', 'aside',
  'details', 'summary', 'address',
]);

const clone = (t: Token): Token => {
  const c = Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t);
  c.attrs = t.attrs ? t.attrs.map(([k, v]) => [k, v] as [string, string]) : null;
  return c;
};

/** A fresh token of the same class as `like` (markdown-it's Token has no public constructor here). */
function token(like: Token, type: string, tag: string, nesting: -1 | 0 | 1, content = ''): Token {
  const t = clone(like);
  Object.assign(t, { type, tag, nesting, content, children: null, block: false, hidden: false, markup: '', info: '', meta: null, attrs: null });
  return t;
}

/** `fn-<tag>` first, then the author's own classes. */
function spanClass(t: Token, tag: string, extra: string[] = []): void {
  const own = t.attrGet('class');
  t.attrs = (t.attrs ?? []).filter(([k]) => k !== 'class');
  t.attrSet('class', [`fn-${tag}`, ...extra, ...(own ? [String(own)] : [])].join(' '));
}

/**
 * The note's tokens made inline: every block token becomes a span (`fn-<tag>`), the first paragraph
 * also gets `fn-first` (it runs on after the note number), code blocks become `fn-pre` spans holding
 * inline code. Raw HTML is tokens like the rest (parse/html/sanitize.ts). The input tokens are not changed.
 */
export function inlineNoteTokens(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let firstParagraph = true;
  for (const src of tokens) {
    if (src.type === 'fence' || src.type === 'code_block') {
      const open = token(src, 'fn_pre_open', 'span', 1);
      spanClass(open, 'pre');
      const code = token(src, 'code_inline', 'code', 0, src.content.replace(/\n$/, ''));
      const lang = src.info.trim().split(/\s+/)[0];
      if (lang) code.attrSet('class', `language-${lang}`);
      out.push(open, code, token(src, 'fn_pre_close', 'span', -1), token(src, 'softbreak', 'br', 0));
      firstParagraph = false;
      continue;
    }
    const t = clone(src);
    t.block = false;
    if (BLOCK_TAGS.has(src.tag) && src.nesting !== 0) {
      t.tag = 'span';
      if (src.nesting === 1) {
        const first = src.type === 'paragraph_open' && firstParagraph && !src.hidden;
        spanClass(t, src.tag, first ? ['fn-first'] : []);
      }
    } else if (BLOCK_TAGS.has(src.tag) && src.nesting === 0) {
      // A void block element (hr): an empty span that CSS draws.
      const open = token(src, `fn_${src.tag}_open`, 'span', 1);
      open.attrs = t.attrs;
      spanClass(open, src.tag);
      out.push(open, token(src, `fn_${src.tag}_close`, 'span', -1), token(src, 'softbreak', 'br', 0));
      firstParagraph = false;
      continue;
    }
    if (src.nesting === 1 && src.type !== 'paragraph_open' || src.type === 'paragraph_open' && !src.hidden) firstParagraph = false;
    out.push(t);
    // White space between blocks, as the HTML of a block note would have (copy and paste sees it).
    if (BLOCK_TAGS.has(src.tag) && src.nesting === -1 && !src.hidden) out.push(token(src, 'softbreak', 'br', 0));
  }
  while (out.at(-1)?.type === 'softbreak') out.pop();
  return out;
}
