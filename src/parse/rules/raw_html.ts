/**
 * raw_html: runs after every rule that makes tokens from text (figure captions from titles and alt
 * text included) and hands every piece of raw HTML — in the text, in notes (block and inline), in
 * captions and alt text — to the one sanitiser (../html/sanitize.ts). Scripts, event handlers,
 * frames, objects and script URLs are errors with file and line; what remains is tokens, never markup.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { findLine, type ParseEnv } from '../env.js';
import { BlockSanitizer, sanitizeInline } from '../html/sanitize.js';

type TokenClass = new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;

/** A block token stream cleaned; a Markdown figure inside an HTML <figure> gives up its own frame. */
export function sanitizeBlocks(
  tokens: Token[],
  env: ParseEnv,
  T: TokenClass,
  link?: (href: string) => string | undefined,
  inline?: (src: string) => Token[],
): Token[] {
  const b = new BlockSanitizer(env, T, (map, needle) => findLine(env, map, needle), link, inline);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'figure_open' && b.inRawFigure) {
      // <figure> written around a Markdown image: the HTML figure (and its <figcaption>) wins.
      const id = t.attrGet('id');
      if (id !== null) b.adoptFigureId(String(id));
      let j = i + 1;
      for (; j < tokens.length && tokens[j]!.type !== 'figure_close'; j++) {
        if (tokens[j]!.type === 'figcaption_open') {
          while (j < tokens.length && tokens[j]!.type !== 'figcaption_close') j++;
          continue;
        }
        b.md(tokens[j]!);
      }
      i = j;
      continue;
    }
    b.md(t);
  }
  return b.finish();
}

export function rawHtmlPlugin(md: MarkdownIt): void {
  md.core.ruler.after('smartquotes', 'raw_html', (state: StateCore) => {
    const env = state.env as unknown as ParseEnv;
    const T = state.Token as unknown as TokenClass;
    const link = (href: string) => (state.md.validateLink(href) ? state.md.normalizeLink(href) : undefined);
    const inline = (src: string) => {
      const out: Token[] = [];
      state.md.inline.parse(src, state.md, state.env, out);
      return out;
    };
    state.tokens = sanitizeBlocks(state.tokens, env, T, link, inline);
    // Inline notes (^[…]) keep their tokens beside the stream.
    for (const note of env.footnotes?.list ?? []) {
      if (!note.tokens) continue;
      // The note's line: where its text stands in the file; a tag is looked for from there on.
      const from = Math.max(0, env.lines.findIndex((l) => l.includes(note.content?.slice(0, 30) ?? '')));
      const lineOf = (needle: string) => {
        const i = env.lines.findIndex((l, n) => n >= from && l.includes(needle));
        return i < 0 ? from + 1 : i + 1;
      };
      note.tokens = sanitizeInline(note.tokens, { env, Token: T, line: undefined, link }, lineOf);
    }
  });
}
