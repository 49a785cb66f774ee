/*
 * Runs in a hidden layout frame of the preview: lays out one unit of the book (front matter or a
 * chapter) with the patched Paged.js, exactly as the PDF build does (src/targets/pdf/layout.ts: fonts
 * ready, refused images replaced by their alt text, the samizdat hooks, then preview()), and tells
 * the view when it is done, handing over the pages as markup and the stylesheet rules as text.
 * The frame is on the view's own origin, so in the view's renderer process: a frame of another site
 * gets a process of its own, which the browser runs at low priority while none of its frames shows —
 * on a busy machine that process starved (a 23-page chapter in 22 s instead of 0.5 s).
 * ?pad=1: the unit starts on a left-hand page (a page is laid out first and dropped by the view).
 * ?print=1 (the whole book, pdf.chapterStart: continue): each page gets its fingerprint and the named
 * strings (running heads) in force at its end, so that the view can lay out again from a page on.
 * ?from=B: lay out only from text block B on (a continue-mode book from the page that begins in
 * B): everything before B is taken out, and with &offset=N the first N characters of B (the part on
 * the pages before); &split=1: B's chapter began on an earlier page; &strings= the running heads'
 * strings in force before that page; &keep= ids of figures the last layout put on that page or the
 * next ones (a figure among what is taken out would be lost: the cut is refused); &at= the view's
 * index of the first page; &converge=B:PRINT:M,… pages M of the last layout, after the edited
 * chapters (B: their first block as numbered now): the layout stops at the first page that comes out
 * as one of them, on the same side, and hands over only the pages before it.
 */
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const key = params.get('key');
  const post = (msg) => parent.postMessage(Object.assign({ samizdat: 'unit', key: key, pad: params.get('pad') === '1' }, msg), location.origin);
  window.addEventListener('error', (e) => post({ type: 'error', message: String(e.message || e) }));
  const run = async () => {
    const started = performance.now();
    await document.fonts.ready;
    for (const img of Array.from(document.images)) {
      if (img.complete && img.naturalWidth > 0) continue;
      const span = document.createElement('span');
      span.className = 'missing-image';
      span.textContent = img.alt ? '[' + img.alt + ']' : '';
      img.replaceWith(span);
    }
    const from = params.get('from');
    if (from !== null) {
      const refused = cut(from, Number(params.get('offset') || 0), params.get('split') === '1', (params.get('keep') || '').split(',').filter(Boolean));
      if (refused) {
        post({ type: 'refused', message: refused });
        return;
      }
      // A left-hand first page: the pad below takes the first page, the block starts the next one.
      if (params.get('pad') === '1') {
        let top = document.querySelector(`[data-b="${CSS.escape(from)}"]`);
        while (top.parentElement && !top.parentElement.matches('section.chapter')) top = top.parentElement;
        top.setAttribute('data-break-before', 'page');
      }
    }
    if (params.get('pad') === '1') {
      const pad = document.createElement('div');
      pad.className = 'samizdat-pad';
      pad.textContent = '\u200b';
      document.body.prepend(pad);
    }
    // Paged.js lays out one page per animation frame (its queue ticks on requestAnimationFrame): a
    // wait of up to a frame (16 ms) after each page. Its ticks go through a message channel instead.
    const channel = new MessageChannel();
    const ticks = [];
    channel.port1.onmessage = () => {
      const cb = ticks.shift();
      if (cb) cb(performance.now());
    };
    window.requestAnimationFrame = (cb) => {
      ticks.push(cb);
      channel.port2.postMessage(0);
      return ticks.length;
    };
    // The same handler the PDF build registers (numbers footnote calls, reports pages).
    (0, eval)(window.__samizdatHooks);
    // Paged.js's named strings (string-set, the running heads) carry from page to page in its
    // StringSets handler, which starts from `this.pageLastString` when that is set: here, on the
    // prototype, so the strings can be given (a layout from a page on) and read after each page.
    const Handler = window.Paged.Handler;
    Handler.prototype.pageLastString = JSON.parse(params.get('strings') || '{}');
    const pad = params.get('pad') === '1' ? 1 : 0;
    const at = Number(params.get('at') || 0);
    const candidates = (params.get('converge') || '').split(',').filter(Boolean).map((c) => c.split(':'));
    let converged = null;
    if (params.get('print') === '1') {
      window.Paged.registerHandlers(
        class SamizdatPrint extends Handler {
          afterPageLayout(pageElement, page) {
            pageElement.setAttribute('data-samizdat-strings', JSON.stringify(Handler.prototype.pageLastString));
            const print = fingerprint(pageElement);
            pageElement.setAttribute('data-samizdat-print', print);
            // A page that comes out as a page of the last layout after the edited chapters (same
            // first block, same print, same side): from there on the last layout stands; stop here.
            const j = page.position - pad;
            if (j < 1 || !candidates.length) return;
            const first = pageElement.querySelector('.pagedjs_page_content [data-b]');
            const b = first && first.getAttribute('data-b');
            const hit = candidates.find(([cb, cp, m]) => cb === b && cp === print && (at + j) % 2 === Number(m) % 2);
            if (!hit) return;
            converged = { page: Number(hit[2]), pages: j };
            throw new Error('samizdat: the layout came back to the pages of the last one');
          }
        },
      );
    }
    try {
      await window.PagedPolyfill.preview();
    } catch (e) {
      if (!converged) {
        post({ type: 'error', message: (e && e.message) || String(e) });
        return;
      }
    }
    let pages = Array.from(document.querySelectorAll('.pagedjs_pages > .pagedjs_page')).slice(pad);
    if (converged) pages = pages.slice(0, converged.pages);
    if (params.get('print') === '1') for (const p of pages) p.setAttribute('data-samizdat-blocks', blocksOf(p));
    const rules = [];
    for (const sheet of Array.from(document.styleSheets)) {
      try {
        for (const r of Array.from(sheet.cssRules)) rules.push(r.cssText);
      } catch (e) {
        /* not readable: not ours */
      }
    }
    post({ type: 'laid', ms: performance.now() - started, converged: converged, pages: pages.map((p) => p.outerHTML), rules: rules });
  };
  /**
   * Takes out everything before text block `b` and the first `offset` characters of its text (notes
   * not counted: Paged.js moved them out of the text on their pages), marking a block cut inside (and
   * with `split`, its chapter section) as Paged.js marks the rest of a split element. The block must
   * stand at the top of a chapter section or, cut at 0, inside such a top element. Returns why not.
   */
  function cut(b, offset, split, keep) {
    const block = document.querySelector(`[data-b="${CSS.escape(b)}"]`);
    let top = block;
    while (top && top.parentElement && !top.parentElement.matches('section.chapter')) top = top.parentElement;
    if (!block || !top || !top.parentElement || (offset > 0 && top !== block)) return 'no such block at the top of a chapter';
    for (const id of keep) {
      const el = document.getElementById(id);
      if (el && !el.contains(top) && el.compareDocumentPosition(top) & Node.DOCUMENT_POSITION_FOLLOWING) return `figure ${id} comes before block ${b} in the source`;
    }
    if (offset > 0) {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement.closest('.footnote, [data-footnote-call]') && block.contains(n.parentElement.closest('.footnote, [data-footnote-call]')) ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT),
      });
      let left = offset;
      let at = null;
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (left < t.data.length) {
          t.data = t.data.slice(left);
          at = t;
          break;
        }
        left -= t.data.length;
      }
      if (!at) return `block ${b} is shorter than ${offset} characters`;
      const range = document.createRange();
      range.setStart(block, 0);
      range.setEnd(at, 0);
      range.deleteContents();
      block.setAttribute('data-split-from', 'samizdat-' + b);
      if (split) top.parentElement.setAttribute('data-split-from', 'samizdat-section-' + b);
    } else if (split) top.parentElement.setAttribute('data-split-from', 'samizdat-section-' + b);
    for (let n = top; n && n !== document.body; n = n.parentElement) {
      for (let s = n.previousSibling; s; ) {
        const prev = s.previousSibling;
        if (!(s.nodeType === 1 && /^(SCRIPT|STYLE|LINK|META|TEMPLATE)$/.test(s.nodeName))) s.remove();
        s = prev;
      }
    }
    return '';
  }

  /** The text blocks of a page, each as number:top:height:hash of its text on the page, `;` between. */
  function blocksOf(page) {
    const box = page.querySelector('.pagedjs_pagebox') || page;
    const top = box.getBoundingClientRect().top;
    return Array.from(box.querySelectorAll('.pagedjs_page_content [data-b]'), (el) => {
      const r = el.getBoundingClientRect();
      return `${el.getAttribute('data-b')}:${Math.round(r.top - top)}:${Math.round(r.height)}:${hash(el.textContent)}`;
    }).join(';');
  }

  function hash(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0).toString(36) + '.' + s.length;
  }

  /**
   * What a page shows, in short: its text, where its blocks stand and how tall they are, its strings
   * (not the blocks' numbers: a page after an inserted paragraph is the same page), as a short hash.
   */
  function fingerprint(page) {
    const box = page.querySelector('.pagedjs_pagebox') || page;
    const top = box.getBoundingClientRect().top;
    // Without white space: a page begun inside a paragraph may lack a line break between blocks that
    // a page laid out from before it has (nothing that shows).
    let s = box.textContent.replace(/\s+/g, '') + '\u0001' + (page.getAttribute('style') || '') + '\u0001';
    for (const el of box.querySelectorAll('[data-b], figure, table, img')) {
      const r = el.getBoundingClientRect();
      s += `${el.nodeName}:${Math.round(r.top - top)}:${Math.round(r.height)};`;
    }
    return hash(s);
  }

  if (document.readyState === 'complete') run();
  else window.addEventListener('load', run);
})();
