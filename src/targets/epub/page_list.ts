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
import type { PageStart } from '../../model/facts.js';

export interface PagePlan {
  /** block → markers (sorted by offset) */
  byBlock: Map<number, { offset: number; folios: number[] }[]>;
  /** Folios before the first text block (title page, colophon, contents…) with the part each shows. */
  front: { folio: number; part: FrontPart }[];
  /** Folios after the last text block. */
  trailing: number[];
  /** Every folio, in order. */
  folios: number[];
}

/** What a page of the print edition's front matter shows. */
export type FrontPart = 'title-page' | 'colophon' | 'contents';

export function planPages(starts: PageStart[]): PagePlan {
  const plan: PagePlan = { byBlock: new Map(), front: [], trailing: [], folios: starts.map((s) => s.folio) };
  let pending: number[] = [];
  let sawText = false;
  const front: { folio: number; part?: FrontPart }[] = [];
  // Markers must follow the reading order (the page list too): a page whose first text is a figure
  // or table the print edition floated past text that other editions show first is marked where its
  // running text starts, or, failing that, with the page before.
  let last = { block: 0, offset: 0 };
  const before = (a: { block: number; offset: number }, b: { block: number; offset: number }) => a.block < b.block || (a.block === b.block && a.offset < b.offset);
  for (let s of starts) {
    if (s.block !== undefined && s.offset !== undefined && before({ block: s.block, offset: s.offset }, last)) {
      const at = s.flow && !before(s.flow, last) ? s.flow : last;
      s = { ...s, block: at.block, offset: at.offset };
    }
    if (s.block === undefined || s.offset === undefined) {
      if (sawText) pending.push(s.folio);
      else front.push({ folio: s.folio, part: s.part === 'title-page' || s.part === 'colophon' || s.part === 'contents' ? s.part : undefined });
      continue;
    }
    sawText = true;
    last = { block: s.block, offset: s.offset };
    const list = plan.byBlock.get(s.block) ?? [];
    list.push({ offset: s.offset, folios: [...pending, s.folio] });
    plan.byBlock.set(s.block, list.sort((a, b) => a.offset - b.offset));
    pending = [];
  }
  plan.trailing = pending;
  // A blank front page belongs with the next page that shows something (else the one before).
  plan.front = front.map((f, i) => ({
    folio: f.folio,
    part: f.part ?? front.slice(i + 1).find((x) => x.part)?.part ?? front.slice(0, i).reverse().find((x) => x.part)?.part ?? 'title-page',
  }));
  return plan;
}

export const pageId = (folio: number) => `page-${folio}`;

export function pageBreak(folio: number): string {
  return `<span epub:type="pagebreak" role="doc-pagebreak" id="${pageId(folio)}" aria-label="${folio}"></span>`;
}

const LN = /[\p{L}\p{N}]/u;

const SPACE = /\s/u;

interface OpenBlock {
  markers: { offset: number; folios: number[] }[];
  count: number;
  /** The last character written in this block was white space (or nothing has been written yet). */
  atSpace: boolean;
  /** Folios whose marker fell inside a word that began in an earlier token: they wait for the next word. */
  deferred: number[];
}

/**
 * Renderer rules that place the page breaks of `plan` while a content document renders;
 * `placed` records which file each page marker went into (for the page-list hrefs).
 * A marker always stands between words: one that falls inside a word (a word hyphenated across the
 * page break, or a quotation mark before its first letter) moves to the start of that word, so
 * text-to-speech and search see the word whole.
 */
export function pageBreakRules(plan: PagePlan, file: string, placed: Map<number, string>): Record<string, RendererRule> {
  const stack: (OpenBlock | null)[] = [];
  /** Folios marked before their figure (the page opens with the picture, not with its caption's words). */
  const beforeFigure = new Set<number>();
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
    if (!top) return escapeHtml(content);
    let out = '';
    // Where the current word starts in `out`; -1 when it started in an earlier token.
    let wordStart = top.atSpace ? 0 : -1;
    for (const ch of content) {
      if (SPACE.test(ch)) {
        top.atSpace = true;
        out += escapeHtml(ch);
        continue;
      }
      if (top.atSpace) {
        top.atSpace = false;
        if (top.deferred.length) out += emit(top.deferred.splice(0));
        wordStart = out.length;
      }
      if (LN.test(ch)) {
        const due: number[] = [];
        while (top.markers[0] && top.markers[0].offset <= top.count) due.push(...top.markers.shift()!.folios);
        if (due.length && wordStart === out.length) out += emit(due);
        else if (due.length && wordStart >= 0) {
          const marks = emit(due);
          out = out.slice(0, wordStart) + marks + out.slice(wordStart);
          wordStart += marks.length;
        } else if (due.length) top.deferred.push(...due);
        top.count++;
      }
      out += escapeHtml(ch);
    }
    return out;
  };
  const breakRule: RendererRule = (tokens, idx, opts, _env, self) => {
    const top = stack[stack.length - 1];
    if (top) top.atSpace = true;
    return tokens[idx]!.type === 'hardbreak' ? (opts.xhtmlOut ? '<br />\n' : '<br>\n') : opts.breaks ? (opts.xhtmlOut ? '<br />\n' : '<br>\n') : '\n';
  };
  const rules: Record<string, RendererRule> = {
    text: textRule,
    softbreak: breakRule,
    hardbreak: breakRule,
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
      const markers = (plan.byBlock.get(block ?? -1) ?? []).map((m) => ({ offset: m.offset, folios: m.folios.filter((f) => !beforeFigure.has(f)) })).filter((m) => m.folios.length);
      stack.push(block === undefined ? (stack[stack.length - 1] ?? null) : { markers, count: 0, atSpace: true, deferred: [] });
      return self.renderToken(tokens, idx, opts);
    };
    rules[closerOf(type)] = (tokens, idx, opts, _env, self) => {
      const top = stack.pop();
      const owner = top && stack[stack.length - 1] !== top;
      // Markers the text did not reach (a layout that counted differently) still land in their block.
      const rest = top && owner ? emit([...top.deferred.splice(0), ...top.markers.splice(0).flatMap((m) => m.folios)]) : '';
      if (top && !owner) top.atSpace = true;
      return rest + self.renderToken(tokens, idx, opts);
    };
  }
  // A page that opens with a figure starts, in print, with its picture: its marker goes before the
  // figure, not after the picture at the first letter of the caption.
  rules['figure_open'] = (tokens, idx, opts, _env, self) => {
    let marks = '';
    for (let k = idx + 1; k < tokens.length && tokens[k]!.type !== 'figure_close'; k++) {
      const t = tokens[k]!;
      if (t.type !== 'figcaption_open') continue;
      const block = isTextBlockOpener(t) ? (t.meta?.block as number | undefined) : undefined;
      const first = (plan.byBlock.get(block ?? -1) ?? []).filter((m) => m.offset === 0).flatMap((m) => m.folios);
      for (const f of first) beforeFigure.add(f);
      marks = emit(first);
      break;
    }
    return marks + self.renderToken(tokens, idx, opts);
  };
  return rules;
}

/** Markers outside the text: for the title page (front matter) and after the last text (trailing). */
export function pageBreaksFor(folios: number[], file: string, placed: Map<number, string>): string {
  return folios.map((f) => (placed.set(f, file), pageBreak(f))).join('');
}

/** Every placed page marker in folio order, with its href (for the page-list nav and the NCX pageList). */
export function pageTargets(plan: PagePlan, placed: Map<number, string>): { folio: number; href: string }[] {
  return plan.folios.filter((f) => placed.has(f)).map((f) => ({ folio: f, href: `${placed.get(f)!}#${pageId(f)}` }));
}

/** The page-list nav of the navigation document. */
export function pageListNav(plan: PagePlan, placed: Map<number, string>, label: string): string {
  const items = pageTargets(plan, placed)
    .map((t) => `  <li><a href="${escapeHtml(t.href)}">${t.folio}</a></li>`)
    .join('\n');
  return `<nav epub:type="page-list" id="page-list" role="doc-pagelist" hidden="hidden" aria-label="${escapeHtml(label)}">
<ol>
${items}
</ol>
</nav>`;
}
