/**
 * A passage marked with a language written the other way round (`[שלום]{lang=he}` in an English book,
 * `[Paris]{lang=fr}` in an Arabic one) gets that direction as a `dir` attribute, so that it is set
 * as an isolated run in every target; a `dir` written by the author stays. In a right-to-left book,
 * code blocks read left to right and inline code takes the direction of its first letter (`dir` and
 * not CSS: EPUB style sheets may not set direction).
 */
import type { MarkdownIt as MarkdownItType, Token } from 'markdown-it';
import { directionOf } from '../../i18n/direction.js';

export function langDirPlugin(md: MarkdownItType, bookDir: 'ltr' | 'rtl'): void {
  const mark = (tokens: Token[]) => {
    for (const t of tokens) {
      const lang = t.attrGet('lang');
      if (lang && t.nesting !== -1 && t.attrGet('dir') === null && directionOf(String(lang)) !== bookDir) t.attrSet('dir', directionOf(String(lang)));
      if (bookDir === 'rtl' && t.attrGet('dir') === null) {
        if (t.type === 'fence' || t.type === 'code_block') t.attrSet('dir', 'ltr');
        else if (t.type === 'code_inline') t.attrSet('dir', 'auto');
      }
      if (t.children) mark(t.children);
    }
  };
  md.core.ruler.push('lang_dir', (state) => {
    mark(state.tokens);
  });
}
