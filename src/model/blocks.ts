/**
 * Block numbers: every element that holds text (paragraph, heading, list item, table cell, term,
 * definition, caption) gets a book-wide number in token.meta.block. Targets carry it through, so a
 * place in one edition can be found in another: the EPUB marks where each printed page begins.
 */
import type { Token } from 'markdown-it';
import type { Chapter } from './types.js';

export const TEXT_BLOCK_OPENERS = new Set([
  'paragraph_open', 'heading_open', 'list_item_open', 'th_open', 'td_open', 'dt_open', 'dd_open', 'figcaption_open', 'caption_open',
]);

/** The opener's closing token type (paragraph_open → paragraph_close). */
export const closerOf = (type: string) => type.replace(/_open$/, '_close');

export function isTextBlockOpener(t: Token): boolean {
  return TEXT_BLOCK_OPENERS.has(t.type) && !(t.type === 'paragraph_open' && t.hidden);
}

export function numberBlocks(chapters: Chapter[]): number {
  let n = 0;
  for (const ch of chapters) {
    for (const t of ch.tokens) {
      if (isTextBlockOpener(t)) t.meta = { ...(t.meta ?? {}), block: ++n };
    }
  }
  return n;
}
