/*
 * Runs in a hidden layout frame of the preview: lays out one unit of the book (front matter or a
 * chapter) with the patched Paged.js, exactly as the PDF build does (src/targets/pdf/layout.ts: fonts
 * ready, refused images replaced by their alt text, the samizdat hooks, then preview()), and tells
 * the view when it is done, handing over the pages as markup and the stylesheet rules as text.
 * The frame is on the view's own origin, so in the view's renderer process: a frame of another site
 * gets a process of its own, which the browser runs at low priority while none of its frames shows —
 * on a busy machine that process starved (a 23-page chapter in 22 s instead of 0.5 s).
 * ?pad=1: the unit starts on a left-hand page (a page is laid out first and dropped by the view).
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
    try {
      await window.PagedPolyfill.preview();
    } catch (e) {
      post({ type: 'error', message: (e && e.message) || String(e) });
      return;
    }
    let pages = Array.from(document.querySelectorAll('.pagedjs_pages > .pagedjs_page'));
    if (params.get('pad') === '1') pages = pages.slice(1);
    const rules = [];
    for (const sheet of Array.from(document.styleSheets)) {
      try {
        for (const r of Array.from(sheet.cssRules)) rules.push(r.cssText);
      } catch (e) {
        /* not readable: not ours */
      }
    }
    post({ type: 'laid', ms: performance.now() - started, pages: pages.map((p) => p.outerHTML), rules: rules });
  };
  if (document.readyState === 'complete') run();
  else window.addEventListener('load', run);
})();
