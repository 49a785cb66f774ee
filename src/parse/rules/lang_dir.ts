/**
 * A passage marked with a language written the other way round (`[שלום]{lang=he}` in an English book,
 * `[Paris]{lang=fr}` in an Arabic one) gets that direction as a `dir` attribute, so that it is set
 * as an isolated run in every target; a `dir` written by the author stays.
 */
import type { MarkdownIt as MarkdownItType, Token } from 'markdown-it';
import { directionOf } from '../../i18n/direction.js';

export function langDirPlugin(md: MarkdownItType, bookDir: 'ltr' | 'rtl'): void {
  const mark = (tokens: Token[]) => {
    for (const t of tokens) {
      const lang = t.attrGet('lang');
      if (lang && t.nesting !== -1 && t.attrGet('dir') === null && directionOf(String(lang)) !== bookDir) t.attrSet('dir', directionOf(String(lang)));
      if (t.children) mark(t.children);
    }
  };
  md.core.ruler.push('lang_dir', (state) => {
    mark(state.tokens);
  });
}
