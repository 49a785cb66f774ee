/**
 * depth_limit: how deep blocks may nest, as diagnostics, never as silent loss.
 *
 * markdown-it stops reading a block nested deeper than its maxNesting and drops the rest of it without
 * a word (a 200-deep list lost items 49–199). samizdat parses up to PARSE_LIMIT levels — beyond that
 * the text cannot be read safely (the parser recurses) and the build fails with the line — and keeps
 * every word. Readers and browsers cope badly with very deep markup (HTML parsers flatten past 512
 * levels on their own), so containers nested deeper than LAYOUT_LIMIT are flattened: their paragraphs
 * stay, in order, inside the last container kept, and a warning names the line where it starts.
 */
import type { MarkdownIt, StateBlock, StateCore, Token } from 'markdown-it';
import type { ParseEnv } from '../env.js';

/** Nesting levels markdown-it reads (its maxNesting); list items count two (list and item). */
export const PARSE_LIMIT = 1000;
/** Container elements kept one inside the other; deeper ones are flattened. */
export const LAYOUT_LIMIT = 100;

/** Containers that may hold only certain children: never the one a flattened run ends up in. */
const STRUCTURAL = new Set(['ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'dl', 'colgroup']);

const REPORTED = Symbol('depth-reported');

/**
 * The block tokens with containers deeper than `limit` taken out. A container that holds text
 * directly (a table cell, a caption) becomes a paragraph instead, so no text stands bare.
 * Returns the first line flattened and the deepest level seen, or undefined when nothing was.
 */
export function flattenDeep(tokens: Token[], limit: number): { tokens: Token[]; line?: number; depth: number } | undefined {
  let depth = 0;
  let deepest = 0;
  let line: number | undefined;
  let flattened = false;
  /** Per open container: kept (k), dropped (d) or made a paragraph (p). */
  const fate: ('k' | 'd' | 'p')[] = [];
  const kept: string[] = [];
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.block || t.nesting === 0) {
      out.push(t);
      continue;
    }
    if (t.nesting === 1) {
      depth++;
      deepest = Math.max(deepest, depth);
      const holdsText = tokens[i + 1]?.type === 'inline';
      const parentStructural = STRUCTURAL.has(kept[kept.length - 1] ?? '');
      if (kept.length < limit || parentStructural || (holdsText && /^(p|h[1-6])$/.test(t.tag))) {
        // A tight list's paragraphs print without <p>: flattened, they need it to stay apart.
        if (t.hidden && fate.some((x) => x !== 'k')) t.hidden = false;
        fate.push('k');
        kept.push(t.tag);
        out.push(t);
        continue;
      }
      flattened = true;
      line ??= t.map ? t.map[0] + 1 : undefined;
      if (holdsText) {
        const p = Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t, { type: 'paragraph_open', tag: 'p', attrs: null });
        fate.push('p');
        kept.push('p');
        out.push(p);
      } else fate.push('d');
      continue;
    }
    depth--;
    const f = fate.pop();
    if (f === 'k' || f === 'p') kept.pop();
    if (f === 'k') {
      if (t.hidden && fate.some((x) => x !== 'k')) t.hidden = false;
      out.push(t);
    }
    else if (f === 'p') out.push(Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t, { type: 'paragraph_close', tag: 'p' }));
  }
  return flattened ? { tokens: out, line, depth: deepest } : undefined;
}

export function depthLimitPlugin(md: MarkdownIt): void {
  md.set({ maxNesting: PARSE_LIMIT });
  // A block rule that matches nothing: it only sees how deep the parser is, before markdown-it's own
  // limit would drop the rest of the block.
  md.block.ruler.before('table', 'depth_guard', (state: StateBlock, startLine: number) => {
    if (state.level < PARSE_LIMIT - 4) return false;
    const env = state.env as unknown as ParseEnv & { [REPORTED]?: boolean };
    if (!env[REPORTED]) {
      env[REPORTED] = true;
      env.diags.error('nesting-too-deep', `blocks here are nested more than ${PARSE_LIMIT / 2} levels deep, too deep to read; the text from this line on would be lost (flatten the lists or quotes)`, { file: env.file, line: startLine + 1 });
    }
    return false;
  });
  md.core.ruler.after('raw_html', 'depth_limit', (state: StateCore) => {
    const env = state.env as unknown as ParseEnv;
    const r = flattenDeep(state.tokens, LAYOUT_LIMIT);
    if (!r) return;
    state.tokens = r.tokens;
    env.diags.warn('nesting-flattened', `blocks nest ${r.depth} levels deep here; from level ${LAYOUT_LIMIT + 1} on they are flattened into the level above (every word is kept)`, { file: env.file, line: r.line });
  });
}
