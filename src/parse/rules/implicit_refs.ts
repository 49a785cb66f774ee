/**
 * implicit_refs: Pandoc's implicit header references. `[Heading Text]`, `[text][Heading Text]` and
 * `[Heading Text][]` with no reference definition of that name link to the heading with that text,
 * which may be in a later file: the rule marks such brackets as candidate links (link_open with
 * meta.implicit), and the book model resolves them once every heading is known (model/links.ts),
 * turning a candidate that names no heading back into the brackets as written.
 * Pushed after markdown-it's own link rules and bracketed spans, so they win.
 */
import type { MarkdownIt, StateInline } from 'markdown-it';

export interface ImplicitRef {
  /** The label as written (the heading text it should match). */
  label: string;
  /** The source text after the link text, to restore when nothing matches: `]` or `][label]`. */
  close: string;
}

export function implicitRefsPlugin(md: MarkdownIt): void {
  md.inline.ruler.push('implicit_refs', (state: StateInline, silent: boolean) => {
    const src = state.src;
    if (silent || src.charCodeAt(state.pos) !== 0x5b /* [ */) return false;
    if (((state as unknown as { linkLevel?: number }).linkLevel ?? 0) > 0) return false;
    const start = state.pos + 1;
    const end = state.md.helpers.parseLinkLabel(state, state.pos, false);
    if (end < 0) return false;
    const text = src.slice(start, end);
    if (!text.trim() || text.startsWith('^')) return false;
    let next = end + 1;
    let label = text;
    const after = src.charCodeAt(next);
    if (after === 0x28 /* ( */ || after === 0x7b /* { */) return false;
    if (after === 0x5b /* [ */) {
      const end2 = state.md.helpers.parseLinkLabel(state, next, false);
      if (end2 >= 0) {
        const second = src.slice(next + 1, end2);
        if (second.trim()) label = second;
        next = end2 + 1;
      }
    }
    const refs = (state.env as { references?: Record<string, unknown> }).references;
    if (refs && state.md.utils.normalizeReference(label) in refs) return false;
    const open = state.push('link_open', 'a', 1);
    open.attrs = [['href', '']];
    const implicit: ImplicitRef = { label, close: src.slice(end, next) };
    open.meta = { implicit };
    const max = state.posMax;
    state.pos = start;
    state.posMax = end;
    const st = state as unknown as { linkLevel: number };
    st.linkLevel++;
    state.md.inline.tokenize(state);
    st.linkLevel--;
    state.push('link_close', 'a', -1);
    state.pos = next;
    state.posMax = max;
    return true;
  });
}
