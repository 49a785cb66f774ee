/**
 * Workarounds for known traps of Paged.js 0.4.3, kept in one place so they can go when it is fixed.
 *
 * 1. COUNTER_FOOTNOTE: counter(footnote) can repeat a number (the counter is reset per page from a
 *    count that misses notes moved on overflow). Notes carry their book-wide number in data-num and
 *    both the call and the marker print attr(data-num); the call element Paged.js creates copies only
 *    the classes, so the browser-side hook below copies data-num onto it as it is created.
 * 2. LEADER: leader() inside `content` drops the value after it (target-counter shows nothing), so the
 *    table of contents draws its dots with a dotted border on a flex filler instead (print.css).
 * 3. SELECTOR_MIX: a selector list mixing `+` and `:first-of-type` (e.g. `h2 + p, p:first-of-type`)
 *    throws inside the stylesheet polisher; print.css writes such selectors as separate rules.
 * 4. BLEED_WITH_SIZE: `bleed` is ignored when it is in a different style element from `size`, so the
 *    generated @page rule holds size, bleed and marks together and all CSS goes in one <style>.
 * 5. SPLIT_NOTE: a note too long for the foot of its page continues on the next one with neither a
 *    number nor any sign that it continues; the continuation starts with "(continued)" (in the book's
 *    language; a book's print.css can change it on `.footnote[data-split-from]::before`).
 * Traps that need a change inside Paged.js itself are patched at load time: see pagedjs_patches/.
 */

/** CSS for trap 1: numbers from data-num instead of counter(footnote). */
export const FOOTNOTE_NUMBER_CSS = `
/* Paged.js trap COUNTER_FOOTNOTE: never counter(footnote); the number comes from data-num. */
.footnote::footnote-call { content: attr(data-num); }
.footnote::footnote-marker { content: attr(data-num) ". "; }
${continuedCss()}`;

/** Trap 5: the continuation of a split note says so (Paged.js marks it with data-split-from). */
function continuedCss(): string {
  const words: [string, string][] = [
    ['en', '(continued)'], ['ru', '(продолжение)'], ['uk', '(продовження)'], ['de', '(Fortsetzung)'], ['fr', '(suite)'],
    ['es', '(continuación)'], ['it', '(continua)'], ['pl', '(ciąg dalszy)'], ['nl', '(vervolg)'],
  ];
  // !important: Paged.js unsets ::before on every split element with a long selector.
  return [
    '/* Paged.js trap SPLIT_NOTE: the continuation of a note says so. */',
    `.footnote[data-split-from]::before { content: "${words[0]![1]} " !important; font-style: italic; }`,
    ...words.slice(1).map(([lang, w]) => `:lang(${lang}) .footnote[data-split-from]::before { content: "${w} " !important; }`),
  ].join('\n');
}

/**
 * Browser-side code, run after paged.polyfill.js is loaded and before preview(): registers a Paged.js
 * handler that numbers footnote calls (trap 1), remembers the node being laid out and reports each
 * laid-out page to Node.
 * `progress` is the name of the function exposed with page.exposeFunction.
 */
export function pageHooksSource(progress: string): string {
  return `(() => {
  const numberCalls = (root) => {
    if (!root || !root.querySelectorAll) return;
    for (const call of root.querySelectorAll('a[data-footnote-call]:not([data-num])')) {
      const note = document.querySelector('[data-ref="' + CSS.escape(call.dataset.footnoteCall) + '"][data-num]');
      if (note) call.setAttribute('data-num', note.getAttribute('data-num'));
    }
  };
  class SamizdatHooks extends window.Paged.Handler {
    renderNode(node) { if (node && node.nodeType === 1) numberCalls(node.parentElement || node); }
    // The node being laid out, for a failure's message (layout.ts: failurePlace).
    layoutNode(node) { window.__samizdatLastNode = node; }
    afterPageLayout(pageElement, page) {
      numberCalls(pageElement);
      window.${progress}(page.position + 1);
    }
  }
  window.Paged.registerHandlers(SamizdatHooks);
})();`;
}
