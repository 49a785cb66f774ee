/**
 * heading_ids: every heading gets an id, unique across the whole book ({#id} from the author wins);
 * so does every table (table, table-2…), which print layout may float like a figure.
 */
import type { MarkdownIt } from 'markdown-it';
import type { StateCore } from 'markdown-it';
import type { ParseEnv } from '../env.js';
import { slugify } from '../../util/slug.js';

export function headingIdsPlugin(md: MarkdownIt): void {
  md.core.ruler.push('heading_ids', (state: StateCore) => {
    if (state.inlineMode) return;
    const env = state.env as unknown as ParseEnv;
    const t = state.tokens;
    for (let i = 0; i < t.length; i++) {
      if (t[i]!.type === 'table_open' && t[i]!.attrGet('id') === null) t[i]!.attrSet('id', env.ids.claim('table'));
      if (t[i]!.type !== 'heading_open') continue;
      const inline = t[i + 1]!;
      const text = md.renderer.renderInlineAsText(inline.children ?? [], md.options, env).trim();
      const wanted = t[i]!.attrGet('id');
      const id = env.ids.claim(wanted !== null ? String(wanted) : slugify(text));
      if (wanted && id !== wanted) {
        env.diags.warn('duplicate-id', `id "${wanted}" is used twice; this one becomes "${id}"`, {
          file: env.file,
          line: t[i]!.map ? t[i]!.map![0] + 1 : undefined,
        });
      }
      t[i]!.attrSet('id', id);
      t[i]!.meta = { ...(t[i]!.meta ?? {}), text };
    }
  });
}
