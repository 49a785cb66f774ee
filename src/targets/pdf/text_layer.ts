/**
 * The PDF's text layer without soft hyphens. Chromium keeps every U+00AD in the PDF's text, so copy
 * and paste and search see them inside words. After Paged.js has laid the pages out (and before
 * page.pdf()), each soft hyphen where a line really breaks becomes a hard hyphen "-" (still a break
 * opportunity, and the same glyph the browser drew there), and every other soft hyphen is deleted
 * (it is zero-width where the line does not break, so nothing moves). A block whose height changes all
 * the same gets its soft hyphens at line ends back (the others stay deleted); should it still differ,
 * it is put back as it was, so the pass never changes the layout.
 */
import type { Page } from 'puppeteer-core';

export interface TextLayerStats {
  /** Soft hyphens turned into hard hyphens at line ends. */
  hyphens: number;
  /** Soft hyphens removed. */
  removed: number;
  /** Blocks restored because their height changed. */
  restored: number;
}

/** Runs the pass in the laid-out page. */
export async function cleanTextLayer(page: Page): Promise<TextLayerStats> {
  return (await page.evaluate(TEXT_LAYER_SOURCE)) as TextLayerStats;
}

/**
 * Browser-side source, kept as plain JavaScript text: functions handed to page.evaluate are
 * serialised from their compiled form, which under tsx refers to helpers the page does not have.
 */
const TEXT_LAYER_SOURCE = `(() => {
  const SHY = '\\u00ad';
  const root = document.querySelector('.pagedjs_pages') ?? document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const all = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) all.push(n);

  const rectOf = (node, offset) => {
    const r = document.createRange();
    r.setStart(node, offset);
    r.setEnd(node, offset + 1);
    const rects = r.getClientRects();
    return rects.length ? rects[0] : undefined;
  };
  /**
   * The rects of the soft hyphen and the two characters after it (into the next text nodes if need be).
   * Where the line breaks, the character right after the break may still report a box at the end of
   * the first line (next to the drawn hyphen), so two characters are looked at.
   */
  const rectsAfter = (index, offset) => {
    const r = document.createRange();
    r.setStart(all[index], offset);
    let want = 3;
    for (let k = index; k < all.length && k < index + 20; k++) {
      const node = all[k];
      const from = k === index ? offset : 0;
      const take = Math.min(node.data.length - from, want);
      r.setEnd(node, from + take);
      want -= take;
      if (want <= 0) break;
    }
    return Array.from(r.getClientRects());
  };
  const isBlock = (el) => {
    const d = getComputedStyle(el).display;
    return d !== 'inline' && d !== 'contents';
  };
  const blockOf = (node) => {
    for (let el = node.parentElement; el; el = el.parentElement) if (isBlock(el)) return el;
    return null;
  };

  /**
   * The soft hyphens of words that lie whole on one line (most of them: ~1 in 25 ends a line), found
   * with one measure per word instead of two per soft hyphen. A word is a run of the node's text
   * without spaces; one that ends the node or ends in a soft hyphen is left to the exact test (its
   * break could fall after it, in the next node), and so is one whose boxes are not all on one line.
   */
  const wholeWords = (node, text) => {
    const sure = new Set();
    const words = /\\S+/g;
    for (let m = words.exec(text); m; m = words.exec(text)) {
      const from = m.index;
      const to = from + m[0].length;
      if (to >= text.length || text[to - 1] === SHY || !m[0].includes(SHY)) continue;
      const r = document.createRange();
      r.setStart(node, from);
      r.setEnd(node, to);
      const rects = r.getClientRects();
      if (!rects.length) continue;
      const top = rects[0].top;
      let oneLine = true;
      for (const b of rects) if (Math.abs(b.top - top) >= 1) oneLine = false;
      if (!oneLine) continue;
      for (let i = from; i < to; i++) if (text[i] === SHY) sure.add(i);
    }
    return sure;
  };

  // Decide every soft hyphen first (against the original layout), then change the text.
  const changes = [];
  let hyphens = 0;
  let removed = 0;
  all.forEach((node, index) => {
    const text = node.data;
    if (!text.includes(SHY)) return;
    let out = '';
    let kept = '';
    // Where each new hard hyphen stands in the changed text, and where the line after it began.
    const breaks = [];
    const unbroken = wholeWords(node, text);
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== SHY) {
        out += ch;
        kept += ch;
        continue;
      }
      if (unbroken.has(i)) {
        removed++;
        continue;
      }
      const here = rectOf(node, i);
      const next = here && here.height > 0 ? rectsAfter(index, i).find((r) => r.width > 0 && r.top >= here.top + here.height / 2) : undefined;
      if (next) {
        breaks.push({ at: out.length, top: next.top, left: next.left });
        out += '-';
        kept += SHY;
        hyphens++;
      } else removed++;
    }
    changes.push({ node, index, original: text, next: out, kept, breaks, block: blockOf(node) });
  });

  const heights = new Map();
  for (const c of changes) if (c.block && !heights.has(c.block)) heights.set(c.block, c.block.getBoundingClientRect().height);
  for (const c of changes) c.node.data = c.next;
  let restored = 0;
  // A hard hyphen is not always broken after where the soft one was (a word can move to the next line
  // whole, with its hyphen, and the block keep its height): the line after each must begin where it did.
  const byBlock = new Map();
  for (const c of changes) byBlock.set(c.block, [...(byBlock.get(c.block) ?? []), c]);
  const linesKept = (block) =>
    (byBlock.get(block) ?? []).every((c) => c.breaks.every((b) => {
      const here = rectOf(c.node, b.at);
      const next = here && here.height > 0 ? rectsAfter(c.index, b.at).find((r) => r.width > 0 && r.top >= here.top + here.height / 2) : undefined;
      return !!next && Math.abs(next.top - b.top) < 0.5 && Math.abs(next.left - b.left) < 0.5;
    }));
  const same = (block, h) => Math.abs(block.getBoundingClientRect().height - h) < 0.01;
  for (const [block, h] of heights) {
    if (same(block, h) && linesKept(block)) continue;
    for (const c of byBlock.get(block)) c.node.data = c.kept;
    if (same(block, h)) continue;
    restored++;
    for (const c of byBlock.get(block)) c.node.data = c.original;
  }
  return { hyphens, removed, restored };
})()`;
