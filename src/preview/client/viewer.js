/*
 * The print view of `samizdat preview`. The book is laid out in units (front matter, then one unit
 * per chapter), each in a hidden frame by the same patched Paged.js as the PDF build (unit.js); the
 * laid-out pages are moved into this document, in order, into one .pagedjs_pages, so folios and
 * running heads run on through the book. On a change the server sends a new list of unit keys; only
 * units whose key changed are laid out again, the pages of the others stay where they are.
 *
 * Chapter openings: `right` (a blank page goes before a chapter that would start on a left-hand page),
 * `page` (a chapter that starts on a left-hand page is laid out with a page in front, dropped here, so
 * its left and right pages are the PDF's), `continue` (the book is one unit).
 *
 * Plain browser JavaScript, served as is.
 */
(function () {
  'use strict';
  const pagesEl = document.getElementById('samizdat-pages');
  const webFrame = document.getElementById('samizdat-web');
  const epubFrame = document.getElementById('samizdat-epub');

  /** Layouts by unit key + pad: { key, pad, pages: Element[], base: string[], own: string[] }. */
  const layouts = new Map();
  /** What is shown, by unit position: { id, blank: Element|null, layout }. */
  let shown = [];
  let state = null;
  let generation = 0;
  let cssRulesShown = new Set();
  let ownStyles = new Map();
  let lastNumbers = '';
  const info = (window.__samizdatPreview = { rev: 0, applied: 0, layouts: 0, busy: false, lastUpdateMs: 0, errors: [] });

  // ---------------------------------------------------------------- toolbar (shadow DOM: no book CSS reaches it)
  class SamizdatUi extends HTMLElement {
    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `
<style>
  :host { all: initial; font: 13px/1.3 system-ui, sans-serif; color: #111; }
  .bar { position: fixed; top: 0; left: 0; right: 0; height: 44px; box-sizing: border-box; display: flex; align-items: center; gap: 10px; padding: 0 12px; background: #f3f1ec; border-bottom: 1px solid #bbb; z-index: 10; }
  .bar .title { font-weight: 600; max-width: 22em; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
  .views button[aria-pressed="true"] { background: #222; color: #fff; }
  button { font: inherit; padding: 3px 8px; border: 1px solid #999; background: #fff; border-radius: 3px; cursor: pointer; }
  input[type=number] { width: 4.5em; font: inherit; }
  .status { margin-left: auto; color: #444; white-space: nowrap; }
  .overlay { position: fixed; top: 56px; left: 50%; transform: translateX(-50%); width: min(46rem, 92vw); max-height: 60vh; overflow: auto; background: #fff5f3; border: 2px solid #b3261e; border-radius: 6px; padding: 12px 16px; box-shadow: 0 4px 24px rgba(0,0,0,0.35); z-index: 20; }
  .overlay h2 { margin: 0 0 6px; font-size: 15px; color: #b3261e; }
  .overlay ul { margin: 0; padding-left: 1.2em; }
  .overlay li { margin: 4px 0; font-family: ui-monospace, monospace; font-size: 12.5px; white-space: pre-wrap; }
  .overlay .where { font-weight: 700; }
  .source { position: fixed; bottom: 14px; left: 50%; transform: translateX(-50%); background: #222; color: #fff; padding: 8px 12px; border-radius: 6px; z-index: 20; font-family: ui-monospace, monospace; }
  .source a { color: #ffd479; margin-left: 10px; }
  .source button { margin-left: 10px; background: #444; color: #fff; border-color: #666; }
  [hidden] { display: none !important; }
</style>
<div class="bar">
  <span class="title"></span>
  <span class="views"><button data-view="print" aria-pressed="true">Print</button> <button data-view="web" aria-pressed="false">Web</button> <button data-view="epub" aria-pressed="false">EPUB</button></span>
  <span class="print-tools">
    <label><input type="checkbox" class="spreads"> spreads</label>
    <label>page <input type="number" class="jump" min="1" value="1"></label> <span class="total">/ 0</span>
    <button class="zoom-out" title="zoom out">−</button> <span class="zoom">100%</span> <button class="zoom-in" title="zoom in">+</button>
  </span>
  <span class="status">loading…</span>
</div>
<div class="overlay" role="alert" hidden><h2>The book has errors — showing the last good pages</h2><ul class="diagnostics"></ul></div>
<div class="source" hidden><span class="where"></span><a class="open" target="_blank" rel="noopener">open in editor</a><button class="close" title="close">×</button></div>`;
    }
  }
  customElements.define('samizdat-ui', SamizdatUi);
  const ui = document.getElementById('samizdat-ui').shadowRoot;
  const $ = (sel) => ui.querySelector(sel);
  const setStatus = (text) => ($('.status').textContent = text);

  // ---------------------------------------------------------------- views, spreads, zoom, jump
  let zoom = 1;
  const setZoom = (z) => {
    zoom = Math.max(0.25, Math.min(3, Math.round(z * 100) / 100));
    keepPlace(() => (pagesEl.style.zoom = String(zoom)));
    $('.zoom').textContent = Math.round(zoom * 100) + '%';
  };
  $('.zoom-in').addEventListener('click', () => setZoom(zoom + 0.1));
  $('.zoom-out').addEventListener('click', () => setZoom(zoom - 0.1));
  $('.spreads').addEventListener('change', (e) => keepPlace(() => document.body.classList.toggle('spreads', e.target.checked)));
  const allPages = () => Array.from(pagesEl.children).filter((el) => el.classList.contains('pagedjs_page'));
  const goToPage = (n) => {
    const p = allPages()[n - 1];
    if (p) p.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -52);
  };
  info.goToPage = goToPage;
  $('.jump').addEventListener('change', (e) => goToPage(Number(e.target.value)));
  let view = 'print';
  const showView = (v) => {
    view = v;
    for (const b of ui.querySelectorAll('.views button')) b.setAttribute('aria-pressed', String(b.dataset.view === v));
    $('.print-tools').hidden = v !== 'print';
    webFrame.hidden = v !== 'web';
    epubFrame.hidden = v !== 'epub';
    if (v === 'web' && webFrame.dataset.rev !== String(info.rev)) {
      webFrame.src = '/web/';
      webFrame.dataset.rev = String(info.rev);
    }
    if (v === 'epub' && epubFrame.dataset.rev !== String(info.rev)) {
      epubFrame.src = '/epub/';
      epubFrame.dataset.rev = String(info.rev);
    }
  };
  for (const b of ui.querySelectorAll('.views button')) b.addEventListener('click', () => showView(b.dataset.view));
  const currentPage = () => {
    const pages = allPages();
    for (let i = 0; i < pages.length; i++) if (pages[i].getBoundingClientRect().bottom > 60) return i + 1;
    return pages.length;
  };
  info.currentPage = currentPage;
  let ticking = false;
  window.addEventListener('scroll', () => {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => {
      ticking = false;
      if (ui.activeElement !== $('.jump')) $('.jump').value = String(currentPage());
    });
  });

  /** Runs `change` and scrolls so that the page at the top of the view stays where it was. */
  function keepPlace(change) {
    const pages = allPages();
    let index = -1;
    let anchor = null;
    let offset = 0;
    for (let i = 0; i < pages.length; i++) {
      const r = pages[i].getBoundingClientRect();
      if (r.bottom > 44) {
        index = i;
        anchor = pages[i];
        offset = r.top;
        break;
      }
    }
    change();
    if (index < 0) return;
    const target = anchor.isConnected ? anchor : allPages()[index];
    if (target) window.scrollBy(0, target.getBoundingClientRect().top - offset);
  }

  // ---------------------------------------------------------------- diagnostics and source links
  function showDiagnostics(diags, ok) {
    const errors = diags.filter((d) => d.severity === 'error');
    const list = $('.diagnostics');
    list.textContent = '';
    for (const d of ok ? [] : errors.length ? errors : diags) {
      const li = document.createElement('li');
      const where = document.createElement('span');
      where.className = 'where';
      where.textContent = d.file ? d.file + (d.line ? ':' + d.line : '') + ': ' : '';
      li.append(where, `${d.severity}: ${d.message}${d.code ? ' [' + d.code + ']' : ''}`);
      list.append(li);
    }
    $('.overlay').hidden = ok;
  }
  function showLayoutError(message) {
    info.errors.push(message);
    showDiagnostics([{ severity: 'error', code: 'layout', message: 'Paged.js failed: ' + message }], false);
  }

  pagesEl.addEventListener('click', async (e) => {
    const t = e.target;
    if (!(t instanceof Element)) return;
    if (t.closest('a[href]')) e.preventDefault();
    const page = t.closest('.pagedjs_page');
    if (!page) return;
    const note = t.closest('[data-footnote-marker][data-num], .footnote[data-num]');
    let block = t.closest('[data-b]');
    if (!block && !note) {
      const box = t.closest('figure, table');
      block = box && box.querySelector('[data-b]');
    }
    const q = note ? `note=${encodeURIComponent(note.getAttribute('data-num'))}` : block ? `key=${encodeURIComponent(page.dataset.unit || '')}&b=${encodeURIComponent(block.getAttribute('data-b'))}` : '';
    if (!q) return;
    for (const el of pagesEl.querySelectorAll('.samizdat-picked')) el.classList.remove('samizdat-picked');
    (note || block).classList.add('samizdat-picked');
    const r = await fetch('/_preview/source?' + q);
    if (!r.ok) return;
    const at = await r.json();
    $('.source .where').textContent = `${at.file}:${at.line}`;
    const open = $('.source .open');
    open.hidden = !at.link;
    if (at.link) open.href = at.link;
    $('.source').hidden = false;
    info.lastSource = { file: at.file, line: at.line, link: at.link || null };
  });
  $('.source .close').addEventListener('click', () => ($('.source').hidden = true));

  // ---------------------------------------------------------------- layout of one unit
  /** Rules that belong to one unit's layout (made by Paged.js for its elements or pages), not the book's CSS. */
  const OWN_RULE = /\[data-(ref|page-number|target-|counter-)|nav\.toc a\[href=|data-samizdat/;

  /**
   * Lays out `unit` in a hidden frame. With `from` (a continue-mode book): only from page from.page
   * of the layout from.prev on, resolved with null when that page does not come out the same.
   */
  function layOut(unit, pad, from) {
    const key = unit.key;
    return new Promise((resolve, reject) => {
      const frame = document.createElement('iframe');
      frame.className = 'samizdat-layout';
      frame.setAttribute('aria-hidden', 'true');
      frame.tabIndex = -1;
      const onMessage = (e) => {
        const m = e.data;
        if (e.source !== frame.contentWindow || e.origin !== location.origin || !m || m.samizdat !== 'unit') return;
        window.removeEventListener('message', onMessage);
        if (m.type === 'refused') {
          frame.remove();
          resolve(null);
          return;
        }
        if (m.type !== 'laid') {
          frame.remove();
          reject(new Error(m.message));
          return;
        }
        try {
          resolve(adopt(unit, pad, m, from));
        } catch (err) {
          reject(err);
        } finally {
          frame.remove();
        }
      };
      window.addEventListener('message', onMessage);
      const q = new URLSearchParams({ key, pad: pad ? '1' : '0' });
      if (unit.kind === 'book' && unit.chapters) q.set('print', '1');
      if (from) {
        q.set('from', String(from.block));
        q.set('offset', String(from.offset));
        q.set('split', from.split ? '1' : '0');
        q.set('strings', from.strings);
        q.set('keep', from.keep.join(','));
        q.set('at', String(from.page));
        q.set('chapter', String(from.chapter));
        if (from.converge.length) q.set('converge', from.converge.join(','));
      }
      frame.src = `/_preview/unit/${key}.html?${q}`;
      document.body.append(frame);
    });
  }

  /** The laid-out pages (markup) and stylesheet rules (text) a layout frame handed over, made elements here. */
  function adopt(unit, pad, m, from) {
    const base = [];
    const own = [];
    for (const r of m.rules) (OWN_RULE.test(r) ? own : base).push(r);
    const template = document.createElement('template');
    template.innerHTML = m.pages.join('');
    const pages = Array.from(template.content.children).map((p) => {
      const el = document.importNode(p, true);
      el.dataset.unit = unit.key;
      el.classList.remove('pagedjs_first_page');
      el.removeAttribute('id');
      return el;
    });
    info.layouts++;
    // A layout from a page on stands only when what that page holds before the edited chapter came out
    // as before (the same blocks, each with the same text at the same place): then the page and all
    // after it are what a layout of the whole book makes (Paged.js goes on from what a page holds).
    const same = !from || (pages[0] && blocksBelow(pages[0], from.below) === blocksBelow(from.prev.pages[from.page], from.below));
    fetch('/_preview/laid', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: unit.key, ms: m.ms, pages: pages.length, from: from ? from.page + 1 : 1, kept: same }) });
    if (!same) return null;
    if (!from) return { key: unit.key, pad, pages, base, own, chapters: unit.chapters };
    const shared = from.prev.pages.slice(0, from.page);
    // Came back to the last layout's pages: those from the one it came back to on stay, their blocks
    // numbered as now (an inserted or removed paragraph moves the numbers after it).
    const after = m.converged ? from.prev.pages.slice(m.converged.page) : [];
    if (after.length && from.delta) {
      renumber(after, from.delta);
      // The last layout shares those pages: it cannot be shown again as it was.
      for (const [k, l] of layouts) if (l === from.prev) layouts.delete(k);
    }
    return {
      key: unit.key,
      pad: false,
      pages: shared.concat(pages, after),
      base,
      own: [...new Set(from.prev.own.concat(own))],
      chapters: unit.chapters,
      from: from.page,
      until: from.page + pages.length,
      prev: from.prev,
    };
  }

  function renumber(pages, delta) {
    for (const page of pages) {
      for (const el of page.querySelectorAll('[data-b]')) el.setAttribute('data-b', String(Number(el.getAttribute('data-b')) + delta));
      const blocks = page.getAttribute('data-samizdat-blocks');
      if (blocks) page.setAttribute('data-samizdat-blocks', blocks.split(';').map((x) => x.replace(/^\d+/, (n) => String(Number(n) + delta))).join(';'));
    }
  }

  /**
   * Where a continue-mode book can be laid out again from, after an edit: the last page, at or before
   * the one where the first changed chapter begins, whose text starts in a chapter section, at an
   * element or inside a paragraph (no list, table or note running on from the page before).
   * Undefined: the whole book.
   */
  function findFrom(prev, unit) {
    const old = prev.chapters;
    const now = unit.chapters;
    if (!old || !now || old.length !== now.length) return undefined;
    const e = now.findIndex((c, k) => c.key !== old[k].key);
    if (e < 0 || old[e].firstBlock < 0) return undefined;
    const pages = prev.pages;
    const starts = pages.findIndex((p) => p.querySelector(`.pagedjs_page_content [data-b="${old[e].firstBlock}"]`));
    for (let q = starts; q > 0; q--) {
      const page = pages[q];
      const content = page.querySelector('.pagedjs_page_content');
      const section = content && content.firstElementChild && content.firstElementChild.firstElementChild;
      if (!section || !section.matches('section.chapter')) continue;
      const top = section.firstElementChild;
      if (!top || page.querySelector('.pagedjs_footnote_area [data-split-from]')) continue;
      // Every note at the foot of the page called on it (none pushed over from the page before).
      const notes = Array.from(page.querySelectorAll('.pagedjs_footnote_area [data-footnote-marker][data-num]'), (n) => n.getAttribute('data-num'));
      if (notes.some((n) => !page.querySelector(`.pagedjs_page_content [data-footnote-call][data-num="${n}"]`))) continue;
      const continued = top.hasAttribute('data-split-from');
      const block = top.matches('[data-b]') ? top : continued ? null : top.querySelector('[data-b]');
      if (!block || (continued && block.querySelector('p, li, div, figure, table, blockquote'))) continue;
      const b = block.getAttribute('data-b');
      // A figure moved past the text after it (floats.ts) begins a page the text before it ends.
      const earlier = Array.from(pages[q - 1].querySelectorAll('.pagedjs_page_content [data-b]'), (el) => Number(el.getAttribute('data-b')));
      if (earlier.some((n) => n > Number(b))) continue;
      // The characters of a paragraph cut by the page break: its parts on the pages before.
      let offset = 0;
      for (let k = q - 1; continued && k >= 0; k--) {
        const part = pages[k].querySelector(`.pagedjs_page_content [data-b="${b}"]`);
        if (!part) break;
        offset += textOf(part);
      }
      if (continued && offset === 0) continue;
      const keep = pages.slice(q, q + 3).flatMap((p) => Array.from(p.querySelectorAll('figure[id], table[id]'), (f) => f.id));
      // The chapter the page begins in: the server sends the book from there on.
      let chapter = 0;
      old.forEach((c, k) => {
        if (c.firstBlock >= 0 && c.firstBlock <= Number(b)) chapter = k;
      });
      return { prev, page: q, chapter, below: old[e].firstBlock, block: Number(b), offset, split: section.hasAttribute('data-split-from'), strings: pages[q - 1].getAttribute('data-samizdat-strings') || '{}', keep, ...comeBack(prev, unit, q) };
    }
    return undefined;
  }

  /**
   * The last layout's pages the new one may come back to: those that begin in the chapters after the
   * last one whose shape changed (their blocks are only renumbered, by `delta`), as unit.js's
   * &converge= wants them.
   */
  function comeBack(prev, unit, q) {
    const old = prev.chapters;
    const now = unit.chapters;
    let last = -1;
    now.forEach((c, k) => {
      if (c.shape !== old[k].shape) last = k;
    });
    const next = last + 1;
    if (last < 0 || next >= now.length || old[next].firstBlock < 0) return { converge: [], delta: 0 };
    const delta = now[next].firstBlock - old[next].firstBlock;
    if (now.slice(next).some((c, k) => c.firstBlock - old[next + k].firstBlock !== delta)) return { converge: [], delta: 0 };
    const converge = [];
    for (let m = q + 1; m < prev.pages.length; m++) {
      const first = prev.pages[m].querySelector('.pagedjs_page_content [data-b]');
      const print = prev.pages[m].getAttribute('data-samizdat-print');
      const b = first && Number(first.getAttribute('data-b'));
      if (print && b !== null && b >= old[next].firstBlock) converge.push(`${b + delta}:${print}:${m}`);
    }
    return { converge, delta };
  }

  /** A page's text blocks numbered below `below` (unit.js: blocksOf). */
  function blocksBelow(page, below) {
    return (page.getAttribute('data-samizdat-blocks') || '').split(';').filter((x) => x && Number(x.split(':')[0]) < below).join(';');
  }

  /**
   * Characters of the source text in a part of a split element (as unit.js counts them): without notes,
   * and without the hyphen Paged.js adds to a word broken by the page (its parent is .pagedjs_hyphen).
   */
  function textOf(el) {
    let n = 0;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) if (!t.parentElement.closest('.footnote, [data-footnote-call]')) n += t.data.length;
    return n - (el.matches('.pagedjs_hyphen') ? 1 : 0) - el.querySelectorAll('.pagedjs_hyphen').length;
  }

  /** The book's CSS as Paged.js rewrote it, once; each unit's own rules in a style element of its own. */
  function applyStyles(layout) {
    const fresh = layout.base.filter((r) => !cssRulesShown.has(r));
    if (fresh.length) {
      const style = document.createElement('style');
      style.dataset.samizdatBase = '';
      style.textContent = fresh.join('\n');
      document.head.insertBefore(style, document.getElementById('samizdat-arrangement'));
      for (const r of fresh) cssRulesShown.add(r);
    }
    let own = ownStyles.get(layout.key);
    if (!own) {
      own = document.createElement('style');
      own.dataset.samizdatUnit = layout.key;
      own.textContent = layout.own.join('\n');
      document.head.insertBefore(own, document.getElementById('samizdat-arrangement'));
      ownStyles.set(layout.key, own);
    }
  }

  /** A blank left-hand page, made from a left-hand page of the book with its content taken out. */
  function blankPage() {
    const model = pagesEl.querySelector('.pagedjs_left_page') || [...layouts.values()].flatMap((l) => l.pages).find((p) => p.classList.contains('pagedjs_left_page'));
    const any = model || pagesEl.querySelector('.pagedjs_page');
    if (!any) return null;
    const blank = any.cloneNode(true);
    for (const c of blank.querySelectorAll('.pagedjs_page_content, .pagedjs_footnote_inner_content')) c.textContent = '';
    for (const cls of Array.from(blank.classList)) if (/^pagedjs_.*_(first_)?page$/.test(cls) && !/^pagedjs_(left|right)_page$/.test(cls)) blank.classList.remove(cls);
    blank.classList.remove('pagedjs_right_page', 'pagedjs_first_page', 'pagedjs_named_page');
    blank.classList.add('pagedjs_left_page', 'pagedjs_blank_page', 'samizdat-blank');
    blank.dataset.unit = '';
    return blank;
  }

  // ---------------------------------------------------------------- putting the units in place
  function nodesOf(entry) {
    return entry ? (entry.blank ? [entry.blank] : []).concat(entry.layout.pages) : [];
  }

  /** Shows `layout` (after a blank page when `blank`) at unit position i, replacing what was there. */
  function place(i, layout, blank) {
    const old = shown[i];
    if (old && old.layout === layout && !!old.blank === blank && layout.pages.every((p) => p.isConnected)) return false;
    const kept = (p, k) => (k >= layout.from && k < layout.until) || p.isConnected;
    if (old && !blank && !old.blank && layout.prev === old.layout && layout.pages.every(kept)) {
      // A layout from a page on (until a page of the last layout): the pages before and after stay
      // where they are, those between are replaced.
      keepPlace(() => {
        applyStyles(layout);
        const staying = new Set(layout.pages);
        const gone = old.layout.pages.filter((n) => !staying.has(n));
        const before = layout.pages[layout.until] || gone.find((n) => n.isConnected) || firstNodeAfter(i);
        for (const n of layout.pages.slice(layout.from, layout.until)) pagesEl.insertBefore(n, before && before.isConnected ? before : null);
        for (const n of gone) n.remove();
        // The pages kept belong to the new unit now (a click asks the server about its blocks).
        for (const n of layout.pages) if (n.dataset.unit !== layout.key) n.dataset.unit = layout.key;
        shown[i] = { layout, blank: null };
      });
      layout.prev = undefined; // the layout it was made from need not stay reachable
      return true;
    }
    keepPlace(() => {
      applyStyles(layout);
      const before = nodesOf(old).find((n) => n.isConnected) || firstNodeAfter(i);
      const nodes = (blank ? [blankPage()].filter(Boolean) : []).concat(layout.pages);
      // Pages shown at another position (units that swapped places) move here.
      for (let k = 0; k < shown.length; k++) if (k !== i && shown[k] && shown[k].layout === layout) shown[k] = null;
      for (const n of nodes) pagesEl.insertBefore(n, before && before.isConnected && !nodes.includes(before) ? before : null);
      for (const n of nodesOf(old)) if (!nodes.includes(n)) n.remove();
      shown[i] = { layout, blank: blank ? nodes[0] : null };
    });
    return true;
  }

  function firstNodeAfter(i) {
    for (let k = i + 1; k < shown.length; k++) {
      const n = nodesOf(shown[k])[0];
      if (n && n.isConnected) return n;
    }
    return null;
  }

  function finishPages() {
    const pages = allPages();
    const first = pagesEl.querySelector('.pagedjs_first_page');
    if (first !== pages[0]) {
      if (first) first.classList.remove('pagedjs_first_page');
      if (pages[0]) pages[0].classList.add('pagedjs_first_page');
    }
    for (const p of pagesEl.querySelectorAll('.samizdat-first')) p.classList.remove('samizdat-first');
    if (pages[0]) pages[0].classList.add('samizdat-first');
    pagesEl.style.setProperty('--pagedjs-page-count', String(pages.length));
    $('.total').textContent = '/ ' + pages.length;
    $('.jump').max = String(pages.length);
    return pages;
  }

  /**
   * A book laid out in one unit (chapters run on) from a page on keeps the contents laid out before,
   * with the page numbers of that layout: each entry gets the page its heading is on now, as the
   * parallel PDF prints them (chunks.ts: frontHtml).
   */
  let contentsNumbers = '';
  function fixContents(pages) {
    const index = new Map(pages.map((p, i) => [p, i + 1]));
    const rules = [];
    for (const a of pagesEl.querySelectorAll('nav.toc a[href^="#"]')) {
      const id = a.getAttribute('href').slice(1);
      const el = document.getElementById(id);
      const page = el && el.closest('.pagedjs_page');
      if (page && index.has(page)) rules.push(`nav.toc a[href="#${CSS.escape(id)}"]::after { content: "${index.get(page)}" !important; }`);
    }
    const text = rules.join('\n');
    if (text === contentsNumbers) return;
    contentsNumbers = text;
    let style = document.getElementById('samizdat-contents-numbers');
    if (!style) {
      style = document.createElement('style');
      style.id = 'samizdat-contents-numbers';
      document.head.append(style);
    }
    style.textContent = text;
  }

  /** Heading id → page number, for the contents of the front matter. */
  function reportNumbers(st, pages) {
    if (!st.units.some((u) => u.kind === 'front')) return;
    const index = new Map(pages.map((p, i) => [p, i + 1]));
    const numbers = {};
    for (const u of st.units) {
      if (u.kind !== 'chapter') continue;
      for (const id of u.headingIds) {
        const el = document.getElementById(id);
        const page = el && el.closest('.pagedjs_page');
        if (page && index.has(page)) numbers[id] = index.get(page);
      }
    }
    const text = JSON.stringify(numbers);
    if (text === lastNumbers) return;
    lastNumbers = text;
    return fetch('/_preview/numbers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text }).catch(() => undefined);
  }

  async function apply(st) {
    const gen = ++generation;
    const started = performance.now();
    const phases = (info.phases = { start: started });
    info.busy = true;
    if (st.cssKey !== (state && state.cssKey)) cssRulesShown = new Set();
    state = st;
    let count = 0;
    let editedPage = null;
    const wanted = new Set();
    for (let i = 0; i < st.units.length; i++) {
      const u = st.units[i];
      const opening = u.kind === 'chapter';
      const pad = opening && st.chapterStart === 'page' && count % 2 === 1;
      const blank = opening && st.chapterStart === 'right' && count % 2 === 1;
      const id = u.key + (pad ? ':pad' : '');
      wanted.add(id);
      let layout = layouts.get(id);
      if (!layout) {
        setStatus(`laying out ${u.kind === 'chapter' ? 'chapter ' + (u.chapter + 1) : u.title}…`);
        try {
          phases['layout ' + i] = performance.now() - started;
          // A continue-mode book: from the page where the edit begins, when that page can be found.
          const from = u.kind === 'book' && shown[i] && !shown[i].blank ? findFrom(shown[i].layout, u) : undefined;
          if (from) {
            phases['from ' + i] = from.page + 1;
            layout = await layOut(u, pad, from);
          }
          if (!layout) layout = await layOut(u, pad);
          phases['laid ' + i] = performance.now() - started;
        } catch (e) {
          if (gen !== generation) return;
          showLayoutError(e.message);
          info.busy = false;
          return;
        }
        layouts.set(id, layout);
        if (gen !== generation) return; // a newer state takes over (this layout stays cached)
        if (st.edited && st.edited.key === u.key) {
          const el = layout.pages.map((p) => p.querySelector(`[data-b="${st.edited.block}"]`)).find(Boolean);
          editedPage = el ? el.closest('.pagedjs_page') : null;
        }
      }
      if (place(i, layout, blank)) phases['placed ' + i] = performance.now() - started;
      count += (blank ? 1 : 0) + layout.pages.length;
    }
    for (let k = st.units.length; k < shown.length; k++) for (const n of nodesOf(shown[k])) n.remove();
    shown.length = st.units.length;
    // Forget layouts that are not shown (a few stay: an undo brings them back).
    const spare = [...layouts.keys()].filter((k) => !wanted.has(k));
    for (const k of spare.slice(0, Math.max(0, spare.length - 8))) {
      ownStyles.get(layouts.get(k).key)?.remove();
      ownStyles.delete(layouts.get(k).key);
      layouts.delete(k);
    }
    const pages = finishPages();
    if (st.chapterStart === 'continue') fixContents(pages);
    phases.finished = performance.now() - started;
    // The sources' hash in the colophon changes with every save, never its layout.
    updateHash(st.sourcesSha);
    if (editedPage) {
      const r = editedPage.getBoundingClientRect();
      if (r.bottom < 44 || r.top > window.innerHeight) editedPage.scrollIntoView({ block: 'start' });
    }
    info.lastUpdateMs = performance.now() - started;
    phases.shown = info.lastUpdateMs;
    setStatus(`${pages.length} pages · updated ${new Date().toLocaleTimeString()} (${Math.round(info.lastUpdateMs)} ms)`);
    // The contents' numbers first: when they changed, the server has a newer state before this one counts as shown.
    await reportNumbers(st, finishPages());
    if (gen !== generation) return;
    info.applied = st.rev;
    info.busy = false;
  }

  function updateHash(sha) {
    if (!sha) return;
    for (const colophon of pagesEl.querySelectorAll('.colophon')) {
      const walker = document.createTreeWalker(colophon, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const m = /SHA-256 ([0-9a-f]{64})/.exec(n.data);
        if (m && m[1] !== sha) n.data = n.data.replace(m[1], sha);
      }
    }
  }

  // ---------------------------------------------------------------- state from the server
  let fetching = false;
  let again = false;
  async function refresh() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      do {
        again = false;
        const st = await (await fetch('/_preview/state', { cache: 'no-store' })).json();
        info.rev = st.rev;
        info.ok = st.ok;
        info.diagnostics = st.diagnostics;
        $('.title').textContent = st.title || '';
        document.title = (st.title ? st.title + ' — ' : '') + 'samizdat preview';
        showDiagnostics(st.diagnostics, st.ok);
        if (st.units.length && (!state || st.rev !== state.rev)) {
          apply(st);
          if (view !== 'print') showView(view);
        } else if (!st.units.length) setStatus(st.ok ? 'empty book' : 'the book has errors');
      } while (again);
    } catch (e) {
      setStatus('lost the preview server');
    } finally {
      fetching = false;
    }
  }

  const events = new EventSource('/_preview/events');
  events.addEventListener('state', () => refresh());
  events.addEventListener('error', () => setStatus('reconnecting…'));
})();
