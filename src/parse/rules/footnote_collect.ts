/**
 * footnote_collect: replaces markdown-it-footnote's footnote_tail. Note definitions are lifted out of
 * the token stream into env.noteDefs (with their line), instead of being appended as an HTML list:
 * the book model numbers notes across the whole book and each target places them its own way.
 * It runs after the typography rules (attributes, smart quotes, text_join), so note bodies are
 * typeset like the text; footnote_inline_blocks puts inline notes ^[…] into the stream for the same
 * reason. Also reports duplicate labels.
 */
import type { MarkdownIt } from 'markdown-it';
import type { StateCore } from 'markdown-it';
import type { Token } from 'markdown-it';
import { findLine, type NoteDefinition, type ParseEnv } from '../env.js';

/** Key of an inline note's body in env.noteDefs (a space never occurs in a written label). */
export const inlineNoteKey = (id: number) => `inline ${id}`;

/** footnote_inline_blocks: inline notes become definition blocks, so later core rules reach them. */
function footnoteInlineBlocks(state: StateCore): void {
  if (state.inlineMode) return;
  const list = (state.env as unknown as ParseEnv).footnotes?.list ?? [];
  for (const [id, entry] of list.entries()) {
    if (!entry.tokens || entry.label !== undefined) continue;
    const open = new state.Token('footnote_reference_open', '', 1);
    open.meta = { label: inlineNoteKey(id) };
    const p = new state.Token('paragraph_open', 'p', 1);
    p.block = true;
    const inline = new state.Token('inline', '', 0);
    inline.content = entry.content ?? '';
    inline.children = entry.tokens;
    const pc = new state.Token('paragraph_close', 'p', -1);
    pc.block = true;
    state.tokens.push(open, p, inline, pc, new state.Token('footnote_reference_close', '', -1));
  }
}

function footnoteCollect(state: StateCore): void {
  if (state.inlineMode) return;
  const env = state.env as unknown as ParseEnv;
  const defs = (env.noteDefs ??= new Map<string, NoteDefinition>());
  const kept: Token[] = [];
  let current: NoteDefinition | undefined;
  for (const tok of state.tokens) {
    if (tok.type === 'footnote_reference_open') {
      current = { label: String(tok.meta?.label), line: 0, tokens: [] };
      continue;
    }
    if (tok.type === 'footnote_reference_close' && current) {
      const first = current.tokens.find((t) => t.map);
      current.line = first?.map ? first.map[0] + 1 : 0;
      const earlier = defs.get(current.label);
      if (earlier) {
        env.diags.error(
          'duplicate-note',
          `footnote [^${current.label}] is defined twice (first at line ${earlier.line}); the second definition is ignored`,
          { file: env.file, line: current.line },
        );
      } else {
        defs.set(current.label, current);
      }
      current = undefined;
      continue;
    }
    if (current) current.tokens.push(tok);
    else kept.push(tok);
  }
  state.tokens = kept;

}

/**
 * footnote_check: runs last, when captions have been parsed too. Reports definitions never referenced
 * and `[^label]` left as text because no definition exists.
 */
function footnoteCheck(state: StateCore): void {
  const env = state.env as unknown as ParseEnv;
  if (state.inlineMode) return;
  const refs = env.footnotes?.refs ?? {};
  for (const def of env.noteDefs?.values() ?? []) {
    if (refs[`:${def.label}`] === -1) {
      env.diags.error('unused-note', `footnote [^${def.label}] is defined but never referenced`, {
        file: env.file,
        line: def.line,
      });
    }
  }
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    for (const t of block.children) {
      if (t.type !== 'text') continue;
      for (const m of t.content.matchAll(/\[\^([^\]\s]+)\]/g)) {
        env.diags.error('missing-note', `footnote reference [^${m[1]}] has no definition`, {
          file: env.file,
          line: findLine(env, block.map, m[0]),
        });
      }
    }
  }
}


export function footnoteCollectPlugin(md: MarkdownIt): void {
  md.core.ruler.disable('footnote_tail');
  md.core.ruler.after('inline', 'footnote_inline_blocks', footnoteInlineBlocks);
  md.core.ruler.after('text_join', 'footnote_collect', footnoteCollect);
}

/** Register after every rule that may add note calls (figure captions). */
export function footnoteCheckPlugin(md: MarkdownIt): void {
  md.core.ruler.push('footnote_check', footnoteCheck);
}
