/**
 * Renderer rules of the print edition: a note's body is emitted inline at its first call and floated
 * to the foot of the page by Paged.js; text gets soft hyphens; images load from the layout server.
 */
import type { RendererRule, Token } from 'markdown-it';
import type { Book } from '../../model/types.js';
import { createRenderer, escapeHtml, type BookRenderer } from '../../render/base.js';
import { withBlockMarks, withSourceMarks } from './page_starts.js';
import { bookHyphenator, MAX_HYPHENATED_WORD, sameLanguage } from './hyphenate.js';
import { inlineNoteTokens } from './note_renderer.js';

export const noteAnchorId = (n: number) => `fn-${n}`;

/** Characters between the break opportunities put into a long string. */
const LONG_WORD_STEP = 8;
const LONG_WORD = new RegExp(`\\S{${MAX_HYPHENATED_WORD + 1},}`, 'gu');

/**
 * Escaped text in which every string too long to be hyphenated (a hash, a URL, a 20,000-letter "word")
 * gets a break opportunity (<wbr>) every few characters, in a span.long-word: it wraps at the line's
 * end instead of running off the page, never widens a table column past the page, and Paged.js breaks
 * it across pages between text nodes (inside one huge text node it lost a line at every page break).
 * Each piece is its own span: Paged.js finds where to resume after a page break by looking for the first
 * text node of the parent whose text includes the broken one, so among equal pieces ("yyyyyyyy",
 * "abcdefghij" repeated, a row of dots) it resumed at the wrong one and dropped the rest of the string.
 */
export function breakLongWords(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(LONG_WORD)) {
    out += escapeHtml(text.slice(last, m.index));
    const chars = [...m[0]];
    const pieces: string[] = [];
    for (let i = 0; i < chars.length; i += LONG_WORD_STEP) pieces.push(escapeHtml(chars.slice(i, i + LONG_WORD_STEP).join('')));
    out += `<span class="long-word">${pieces.map((p) => `<span>${p}</span>`).join('<wbr>')}</span>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** The language in force at token `idx` of an inline run: the innermost enclosing span's lang, if any. */
function langAt(tokens: Token[], idx: number): string | undefined {
  const stack: (string | undefined)[] = [];
  for (let i = 0; i < idx; i++) {
    const t = tokens[i]!;
    if (t.nesting === 1) stack.push(String(t.attrGet('lang') ?? '') || undefined);
    else if (t.nesting === -1) stack.pop();
  }
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]) return stack[i];
  return undefined;
}

/**
 * A code block as one span per source line: a line too long for the page wraps inside its span, and
 * print.css marks every continuation with a hanging indent and an arrow (never clipped at the margin).
 */
const codeBlock: RendererRule = (tokens, idx, _opts, _env, self) => {
  const t = tokens[idx]!;
  const lang = t.type === 'fence' ? t.info.trim().split(/\s+/)[0] ?? '' : '';
  const lines = t.content.replace(/\n$/, '').split('\n');
  const body = lines.map((l) => `<span class="line">${escapeHtml(l)}</span>`).join('');
  return `<pre class="code"${self.renderAttrs(t)}><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${body}</code></pre>\n`;
};

/** The render call's env (one object per render) carries whether we are inside a heading. */
const state = (env: unknown) => (env ?? {}) as { inHeading?: boolean };

export function createPrintRenderer(book: Book, imageUrl: (assetId: string) => string): BookRenderer {
  const hyphenate = bookHyphenator(book);
  const bodies = new Map(book.notes.map((n) => [n.number, n]));
  let renderer: BookRenderer | undefined;

  const text: RendererRule = (tokens, idx, _opts, env) => {
    const content = tokens[idx]!.content;
    const lang = langAt(tokens, idx);
    // Text in another language keeps no soft hyphens rather than getting wrong ones; headings are
    // never broken, and soft hyphens in them would also end up in the bookmarks and the PDF's text.
    const h = hyphenate && !state(env).inHeading && (!lang || sameLanguage(lang, book.meta.lang)) ? hyphenate(content) : content;
    return breakLongWords(h);
  };

  renderer = createRenderer(book, {
    assetUrl: (asset) => imageUrl(asset.id),
    noteRef(number, call) {
      const note = bodies.get(number);
      if (call > 0 || !note || !renderer) {
        // A later call to the same note refers back to it; the body is printed once, at the first call.
        return `<sup class="noteref-again"><a href="#${noteAnchorId(number)}">${number}</a></sup>`;
      }
      // Paged.js overwrites data-note and the element id, so the number travels in data-num and the
      // link target is an anchor inside the body.
      // The body sits inside the calling paragraph: its blocks are rendered as spans (note_renderer.ts).
      const body = renderer.render(inlineNoteTokens(note.tokens));
      return `<span class="footnote" data-num="${number}"><span class="fn-anchor" id="${noteAnchorId(number)}"></span>${body}</span>`;
    },
    // data-b on text blocks: where pages begin, for the EPUB's page list (page_starts.ts).
    // data-src on blocks: a layout failure names the manuscript line (layout.ts).
    rules: withSourceMarks(withBlockMarks({
      text,
      fence: codeBlock,
      code_block: codeBlock,
      heading_open: (tokens, idx, opts, env, self) => {
        state(env).inHeading = true;
        return self.renderToken(tokens, idx, opts);
      },
      heading_close: (tokens, idx, opts, env, self) => {
        state(env).inHeading = false;
        return self.renderToken(tokens, idx, opts);
      },
      // Portrait pictures are capped lower than landscape ones (print.css: figure.portrait).
      figure_open: (tokens, idx, opts, _env, self) => {
        const image = tokens[idx + 1]?.children?.find((t) => t.type === 'image');
        const asset = image?.meta?.assetId ? book.assets.get(String(image.meta.assetId)) : undefined;
        if (!(asset?.width && asset.height && asset.height > asset.width)) return self.renderToken(tokens, idx, opts);
        // A copy: tokens are shared with the other targets and rendered again by each float pass.
        const t = tokens[idx]!;
        const fig = Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t);
        fig.attrs = (t.attrs ?? []).map(([k, v]) => [k, v] as [string, string]);
        fig.attrJoin('class', 'portrait');
        const list = tokens.slice();
        list[idx] = fig;
        return self.renderToken(list, idx, opts);
      },
    })),
  });
  return renderer;
}
