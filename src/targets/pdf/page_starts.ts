/**
 * Where each printed page begins, in terms every edition shares: the text block (token meta.block,
 * printed as data-b) and how many letters and digits of that block came on earlier pages. The EPUB
 * uses it to place its page-break markers, so an e-book reader can cite the printed page.
 * Only letters and digits are counted: hyphens, spaces and punctuation differ between layouts.
 */
import type { RendererRule, Token } from 'markdown-it';
import { isTextBlockOpener, TEXT_BLOCK_OPENERS } from '../../model/blocks.js';
import type { PageStart } from '../../model/facts.js';

export type { PageStart } from '../../model/facts.js';

/** Renders a text block's opening tag with data-b, without touching the shared token. */
export function blockMarked(rule: RendererRule | undefined): RendererRule {
  return (tokens, idx, opts, env, self) => {
    const t = tokens[idx]!;
    if (!isTextBlockOpener(t) || t.meta?.block === undefined) return rule ? rule(tokens, idx, opts, env, self) : self.renderToken(tokens, idx, opts);
    const copy = Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t);
    copy.attrs = [...(t.attrs ?? []), ['data-b', String(t.meta.block)]];
    const list = tokens.slice();
    list[idx] = copy;
    return rule ? rule(list, idx, opts, env, self) : self.renderToken(list, idx, opts);
  };
}

/**
 * Runs in the page after Paged.js has laid it out. Self-contained, and without named inner functions:
 * it is serialised into the page, where the helpers tsx adds for function names do not exist.
 */
export function readPageStarts(): PageStart[] {
  const EXCLUDED = '.footnote, .noteref-again, [data-footnote-call], .pagedjs_footnote_area, .fn-anchor, .missing-image';
  const LN = /[\p{L}\p{N}]/gu;
  const seen = new Map<number, number>();
  const starts: PageStart[] = [];
  const pages = Array.from(document.querySelectorAll('.pagedjs_page'));
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i]!;
    const content = page.querySelector('.pagedjs_page_content');
    const fact: PageStart = { folio: i + 1, blank: page.classList.contains('pagedjs_blank_page') };
    starts.push(fact);
    if (!content) continue;
    // Each text node that counts, with the text block it belongs to (its nearest [data-b]).
    const nodes: { text: Text; block: Element | null; letters: number }[] = [];
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(EXCLUDED)) continue;
      nodes.push({ text: n as Text, block: el.closest('[data-b]'), letters: ((n as Text).data.match(LN) ?? []).length });
    }
    const first = nodes.find((x) => x.letters > 0);
    if (first?.block) {
      const b = Number(first.block.getAttribute('data-b'));
      let before = 0;
      for (const x of nodes) {
        if (x === first) break;
        if (x.block === first.block) before += x.letters;
      }
      fact.block = b;
      fact.offset = (seen.get(b) ?? 0) + before;
      const flow = nodes.find((x) => x.letters > 0 && x.block && !x.text.parentElement?.closest('figure, table'));
      if (flow && flow !== first && flow.block) {
        const fb = Number(flow.block.getAttribute('data-b'));
        let flowBefore = 0;
        for (const x of nodes) {
          if (x === flow) break;
          if (x.block === flow.block) flowBefore += x.letters;
        }
        fact.flow = { block: fb, offset: (seen.get(fb) ?? 0) + flowBefore };
      }
    } else if (first) {
      fact.part = first.text.parentElement?.closest('#title-page, #colophon, #contents')?.id;
    }
    for (const x of nodes) {
      if (!x.block) continue;
      const b = Number(x.block.getAttribute('data-b'));
      seen.set(b, (seen.get(b) ?? 0) + x.letters);
    }
  }
  return starts;
}

/** Block tokens that get data-src="file:line" in the print HTML, so a layout failure can name its place. */
const SOURCE_MARKED = [
  'paragraph_open', 'heading_open', 'bullet_list_open', 'ordered_list_open', 'blockquote_open', 'table_open',
  'figure_open', 'dl_open', 'hr', 'fence', 'code_block',
];

/** Renders a block's opening tag with data-src from its source line and the render env's file (a copy of the token). */
function sourceMarked(rule: RendererRule | undefined): RendererRule {
  return (tokens, idx, opts, env, self) => {
    const t = tokens[idx]!;
    const file = (env as { file?: string } | undefined)?.file;
    if (!t.map || !file || !t.block) return rule ? rule(tokens, idx, opts, env, self) : self.renderToken(tokens, idx, opts);
    const copy = Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t);
    copy.attrs = [...(t.attrs ?? []), ['data-src', `${file}:${t.map[0] + 1}`]];
    const list = tokens.slice();
    list[idx] = copy;
    return rule ? rule(list, idx, opts, env, self) : self.renderToken(list, idx, opts);
  };
}

/** Adds data-src to the opening tag of blocks, around whatever rules a target already has. */
export function withSourceMarks(rules: Record<string, RendererRule>): Record<string, RendererRule> {
  const out = { ...rules };
  for (const type of SOURCE_MARKED) out[type] = sourceMarked(rules[type]);
  return out;
}

/** Adds data-b to every text block's opening tag, around whatever rules a target already has. */
export function withBlockMarks(rules: Record<string, RendererRule>): Record<string, RendererRule> {
  const out = { ...rules };
  for (const type of TEXT_BLOCK_OPENERS) out[type] = blockMarked(rules[type]);
  return out;
}
