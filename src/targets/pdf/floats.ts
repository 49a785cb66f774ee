/**
 * Figures float the way a typesetter floats them, decided during the one layout pass.
 *
 * Paged.js walks the print HTML node by node onto pages. Just before it lays out a figure or table on a
 * page that already has content, our hook (FLOAT_HOOK_SOURCE, called from the patch float-hook in
 * pagedjs_patches/) measures a copy of it where it would go. If it does not fit and the page would be
 * left more than MAX_EMPTY empty, the figure is moved later in the source, past the next paragraph (a
 * subheading moves with the paragraph under it), and the walk goes on with that paragraph: the text
 * fills the page and the figure follows it. When the walk reaches the figure again the same test runs,
 * at most MAX_PARAGRAPHS moves in all. Never past a chapter heading or another figure or any other
 * block, never out of its chapter; the caption moves with it (it is inside the figure). A full-bleed
 * plate (a page of its own) moves on the same terms when the page before it would stay part-empty.
 *
 * The same hook runs in every layout (single pass and parallel chunks): no extra layout pass.
 */

/** A page's share of its text block that may stay empty above a page that starts with a figure or table. */
export const MAX_EMPTY = 0.15;
/** How many paragraphs a figure may be moved past. */
export const MAX_PARAGRAPHS = 2;

/**
 * Runs in the page before layout (plain JavaScript text, like text_layer.ts): installs
 * window.__samizdatFloat(node, wrapper, source) for the patch float-hook, and a counter of moves.
 * Resolves to the node the walk goes on with when it moved the figure, else undefined (async: it
 * waits for the images of the copy it measures, so the decision never depends on load timing).
 */
export const FLOAT_HOOK_SOURCE = `(() => {
  const MAX_EMPTY = ${MAX_EMPTY};
  const MAX_MOVES = ${MAX_PARAGRAPHS};
  window.__samizdatFloats = 0;
  const isFloat = (n) => n.nodeType === 1 && (n.tagName === 'FIGURE' || n.tagName === 'TABLE') && n.id &&
    n.parentElement && n.parentElement.matches('section.chapter');
  // What a figure may move past: a paragraph, or a subheading (h2–h6) with the paragraph under it.
  const unitAfter = (n) => {
    const a = n.nextElementSibling;
    if (!a) return undefined;
    if (a.tagName === 'P') return [a, a];
    const b = a.nextElementSibling;
    if (/^H[2-6]$/.test(a.tagName) && b && b.tagName === 'P') return [a, b];
    return undefined;
  };
  // Where the text laid out so far ends (the lowest box in the first column).
  const contentBottom = (wrapper, top, right) => {
    let bottom = top;
    for (const el of wrapper.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.height <= 0 || r.left >= right) continue;
      if (r.bottom > bottom) bottom = r.bottom;
    }
    return bottom;
  };
  window.__samizdatFloat = async (node, wrapper, source) => {
    if (!isFloat(node)) return undefined;
    const moved = Number(node.getAttribute('data-samizdat-moved') || 0);
    if (moved >= MAX_MOVES) return undefined;
    const unit = unitAfter(node);
    if (!unit) return undefined;
    const content = wrapper.parentElement;
    if (!content) return undefined;
    const area = (content.closest('.pagedjs_area') || content).getBoundingClientRect();
    const box = content.getBoundingClientRect(); // the text block above the notes
    const ref = node.parentElement.getAttribute('data-ref');
    const parent = ref ? wrapper.querySelector('[data-ref="' + CSS.escape(ref) + '"]') : null;
    if (!parent || area.height <= 0) return undefined;
    const empty = (box.bottom - contentBottom(wrapper, box.top, box.right)) / area.height;
    if (!(empty > MAX_EMPTY)) return undefined;
    if (!node.classList.contains('bleed')) {
      // Where the figure would go, measured on a copy.
      const copy = node.cloneNode(true);
      copy.removeAttribute('id');
      parent.appendChild(copy);
      // Measured only once its images have loaded: the decision must not depend on timing.
      await Promise.all(Array.from(copy.querySelectorAll('img')).map((i) => i.complete ? undefined : new Promise((done) => { i.onload = done; i.onerror = done; })));
      const r = copy.getBoundingClientRect();
      copy.remove();
      if (r.height <= 0 || r.height > area.height) return undefined;
      if (r.bottom <= box.bottom + 0.5 && r.left < box.right - 0.5) return undefined; // it fits
    }
    unit[1].after(node);
    node.setAttribute('data-samizdat-moved', String(moved + 1));
    window.__samizdatFloats++;
    return unit[0];
  };
})()`;
