/**
 * The Markdown parser: markdown-it 15 with well-kept plugins, then samizdat's own core rules, named
 * in the order they run:
 * Block rules: pandoc_tables (grid, simple and multiline tables, table captions) first, then markdown-it's.
 * Inline rules: markdown-it's, footnotes, bracketed spans, then implicit_refs (Pandoc's implicit header
 * references, resolved in the book model). Core rules:
 *   block → inline → footnote_inline_blocks → curly_attributes → figure → heading_source_text → replacements
 *   → smartquotes → raw_html (the one HTML sanitiser, after every rule that makes tokens)
 *   → depth_limit → text_join
 *   → footnote_collect (replaces footnote_tail) → heading_ids → footnote_check
 */
import MarkdownIt, { type MarkdownIt as MarkdownItType } from 'markdown-it';
import footnote from 'markdown-it-footnote';
import deflist from 'markdown-it-deflist';
import attrs from 'markdown-it-attrs';
import bracketedSpans from 'markdown-it-bracketed-spans';
import { quotesFor } from './typography.js';
import { rawHtmlPlugin } from './rules/raw_html.js';
import { depthLimitPlugin } from './rules/depth_limit.js';
import { footnoteCheckPlugin, footnoteCollectPlugin } from './rules/footnote_collect.js';
import { figurePlugin } from './rules/figure.js';
import { headingIdsPlugin } from './rules/heading_ids.js';
import { implicitRefsPlugin } from './rules/implicit_refs.js';
import { pandocTablesPlugin } from './rules/pandoc_tables.js';
import type { ParseEnv } from './env.js';
import { langDirPlugin } from './rules/lang_dir.js';
import { directionOf } from '../i18n/direction.js';

export function createParser(lang: string, dir: 'ltr' | 'rtl' = directionOf(lang)): MarkdownItType {
  const md = new MarkdownIt({ html: true, typographer: true, quotes: quotesFor(lang), linkify: false });
  md.use(footnote)
    .use(deflist)
    .use(bracketedSpans)
    .use(implicitRefsPlugin)
    .use(pandocTablesPlugin)
    .use(attrs, { allowedAttributes: ['id', 'class', 'lang', 'dir', 'width', 'height', 'start', /^data-/] })
    .use(rawHtmlPlugin)
    .use(depthLimitPlugin)
    .use(footnoteCollectPlugin)
    .use(figurePlugin)
    .use(headingIdsPlugin)
    .use(footnoteCheckPlugin)
    .use(langDirPlugin, dir);
  return md;
}
