/**
 * heading_ids: every heading gets an id, unique across the whole book ({#id} from the author wins);
 * so does every table (table, table-2…), which print layout may float like a figure.
 *
 * Automatic ids follow Pandoc's auto_identifiers, or GitHub's with `ids: github` (../ids.ts). A
 * manuscript written as separate pages links to `other.md#id` with the id that file alone would give
 * its heading; where the book already used that id the heading gets the next free one, and the file's
 * own name for it is kept in env.headingAliases, so such links still resolve (model/links.ts).
 * heading_source_text runs before the typographer, so ids come from the text as written.
 */
import type { MarkdownIt } from 'markdown-it';
import type { StateCore } from 'markdown-it';
import type { ParseEnv } from '../env.js';
import { firstFree, idFor, sourceText } from '../ids.js';

export function headingIdsPlugin(md: MarkdownIt): void {
  md.core.ruler.before('replacements', 'heading_source_text', (state: StateCore) => {
    const t = state.tokens;
    for (let i = 0; i < t.length; i++) {
      if (t[i]!.type !== 'heading_open') continue;
      t[i]!.meta = { ...(t[i]!.meta ?? {}), sourceText: sourceText(t[i + 1]?.children ?? []) };
    }
  });
  md.core.ruler.push('heading_ids', (state: StateCore) => {
    if (state.inlineMode) return;
    const env = state.env as unknown as ParseEnv;
    const local = new Set<string>();
    const aliases = (env.headingAliases ??= new Map());
    const texts = (env.headingTexts ??= []);
    const t = state.tokens;
    for (let i = 0; i < t.length; i++) {
      if (t[i]!.type === 'table_open' && t[i]!.attrGet('id') === null) t[i]!.attrSet('id', env.ids.claim('table'));
      if (t[i]!.type !== 'heading_open') continue;
      const inline = t[i + 1]!;
      const text = md.renderer.renderInlineAsText(inline.children ?? [], md.options, env).trim();
      const written = String(t[i]!.meta?.sourceText ?? text);
      const wanted = t[i]!.attrGet('id');
      const line = t[i]!.map ? t[i]!.map![0] + 1 : undefined;
      let id: string;
      if (wanted !== null) {
        id = env.ids.claim(String(wanted));
        if (id !== wanted) env.diags.warn('duplicate-id', `id "${wanted}" is used twice; this one becomes "${id}"`, { file: env.file, line });
        local.add(String(wanted));
      } else {
        // The id this file alone would give (what links written against the single page use)…
        const own = firstFree(idFor(env.idStyle ?? 'pandoc', written), (x) => local.has(x));
        local.add(own);
        // …and the one it gets in the book, the next free one if another file took it.
        id = env.ids.claim(firstFree(own, (x) => env.ids.has(x)));
        if (id !== own) aliases.set(own, id);
      }
      texts.push({ text: written, id });
      t[i]!.attrSet('id', id);
      t[i]!.meta = { ...(t[i]!.meta ?? {}), text };
    }
  });
}
