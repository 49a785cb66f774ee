/**
 * Print page numbers inside the EPUB: where the PDF says page N begins (text block + letters before),
 * the EPUB renderer puts <span epub:type="pagebreak" role="doc-pagebreak" id="page-N" aria-label="N"/>,
 * and the navigation document gets a page-list. Pages without text of their own (title page, contents,
 * blank pages) are marked together with the next page that has some; front matter before the first
 * text goes on the EPUB's title page.
 */
import type { RendererRule } from 'markdown-it';
import { closerOf, isTextBlockOpener, TEXT_BLOCK_OPENERS } from '../../model/blocks.js';
import { escapeHtml } from '../../render/base.js';
import type { PageStart } from '../pdf/page_starts.js';

export interface PagePlan {
  /** block → markers (sorted by offset) */
  byBlock: Map<number, { offset: number; folios: number[] }[]>;
  /** Folios before the first text block (title page, colophon, contents…). */
  front: number[];
  /** Folios after the last text block. */
  trailing: number[];
  /** Every folio, in order. */
  folios: number[];
}

export function planPages(starts: PageStart[]): PagePlan {
  const plan: PagePlan = { byBlock: new Map(), front: [], trailing: [], folios: starts.map((s) => s.folio) };
  let pending: number[] = [];
  let sawText = false;
  for (const s of starts) {
    if (s.block === undefined || s.offset === undefined) {
      (sawText ? pending : plan.front).push(s.folio);
      continue;
    }
    sawText = true;
    const list = plan.byBlock.get(s.block) ?? [];
    list.push({ offset: s.offset, folios: [...pending, s.folio] });
    plan.byBlock.set(s.block, list.sort((a, b) => a.offset - b.offset));
    pending = [];
  }
  plan.trailing = pending;
  return plan;
}

export const pageId = (folio: number) => `page-${folio}`;

export function pageBreak(folio: number): string {
  return `<span epub:type="pagebreak" role="doc-pagebreak" id="${pageId(folio)}" aria-label="${folio}"></span>`;
}

const LN = /[\p{L}\p{N}]/u;

interface OpenBlock {
  markers: { offset: number; folios: number[] }[];
  count: number;
}

/**
 * Renderer rules that place the page breaks of `plan` while a content document renders;
 * `placed` records which file each page marker went into (for the page-list hrefs).
 */
export function pageBreakRules(plan: PagePlan, file: string, placed: Map<number, string>): Record<string, RendererRule> {
  const stack: (OpenBlock | null)[] = [];
  const emit = (folios: number[]) =>
    folios
      .map((f) => {
        placed.set(f, file);
        return pageBreak(f);
      })
      .join('');
  const textRule: RendererRule = (tokens, idx) => {
    const content = tokens[idx]!.content;
    const top = stack[stack.length - 1];
    if (!top || top.markers.length === 0) {
      if (top) top.count += [...content].filter((c) => LN.test(c)).length;
      return escapeHtml(content);
    }
    let out = '';
    for (const ch of content) {
      if (LN.test(ch)) {
        while (top.markers[0] && top.markers[0].offset <= top.count) out += emit(top.markers.shift()!.folios);
        top.count++;
      }
      out += escapeHtml(ch);
    }
    return out;
  };
  const rules: Record<string, RendererRule> = {
    text: textRule,
    code_inline: (tokens, idx, opts, env, self) => {
      // Code counts like text; its markup stays the default.
      const t = tokens[idx]!;
      return `<code${self.renderAttrs(t)}>${textRule(tokens, idx, opts, env, self)}</code>`;
    },
  };
  for (const type of TEXT_BLOCK_OPENERS) {
    rules[type] = (tokens, idx, opts, _env, self) => {
      const t = tokens[idx]!;
      const block = isTextBlockOpener(t) ? (t.meta?.block as number | undefined) : undefined;
      // A paragraph hidden in a tight list item is no block of its own: its text counts for the item.
      stack.push(block === undefined ? (stack[stack.length - 1] ?? null) : { markers: [...(plan.byBlock.get(block) ?? [])], count: 0 });
      return self.renderToken(tokens, idx, opts);
    };
    rules[closerOf(type)] = (tokens, idx, opts, _env, self) => {
      const top = stack.pop();
      const owner = top && stack[stack.length - 1] !== top;
      // Markers the text did not reach (a layout that counted differently) still land in their block.
      const rest = top && owner ? emit(top.markers.splice(0).flatMap((m) => m.folios)) : '';
      return rest + self.renderToken(tokens, idx, opts);
    };
  }
  return rules;
}

/** Markers outside the text: for the title page (front matter) and after the last text (trailing). */
export function pageBreaksFor(folios: number[], file: string, placed: Map<number, string>): string {
  return folios.map((f) => (placed.set(f, file), pageBreak(f))).join('');
}

/** The page-list nav of the navigation document. */
export function pageListNav(plan: PagePlan, placed: Map<number, string>, label: string): string {
  const items = plan.folios
    .filter((f) => placed.has(f))
    .map((f) => `  <li><a href="${escapeHtml(placed.get(f)!)}#${pageId(f)}">${f}</a></li>`)
    .join('\n');
  return `<nav epub:type="page-list" id="page-list" role="doc-pagelist" hidden="hidden" aria-label="${escapeHtml(label)}">
<ol>
${items}
</ol>
</nav>`;
}
