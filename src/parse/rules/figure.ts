/**
 * figure: a paragraph holding one image and nothing else becomes
 *   figure_open · inline(image) · figcaption_open · inline(caption) · figcaption_close · figure_close.
 * The caption is the image title, else its alt text (Pandoc's convention), parsed as inline Markdown
 * so that footnote calls and emphasis in captions work. Images inside text stay inline.
 */
import type { MarkdownIt } from 'markdown-it';
import type { StateCore } from 'markdown-it';
import type { Token } from 'markdown-it';
import type { ParseEnv } from '../env.js';

function loneImage(inline: Token): Token | undefined {
  const kids = (inline.children ?? []).filter((t) => !(t.type === 'text' && t.content.trim() === '') && t.type !== 'softbreak');
  return kids.length === 1 && kids[0]!.type === 'image' ? kids[0] : undefined;
}

export function figurePlugin(md: MarkdownIt): void {
  // Before replacements/smartquotes, so captions get the same typography as the text.
  md.core.ruler.after('curly_attributes', 'figure', (state: StateCore) => {
    if (state.inlineMode) return;
    const env = state.env as unknown as ParseEnv;
    const out: Token[] = [];
    const t = state.tokens;
    for (let i = 0; i < t.length; i++) {
      const open = t[i]!;
      const inline = t[i + 1];
      const close = t[i + 2];
      const image = open.type === 'paragraph_open' && inline?.type === 'inline' && close?.type === 'paragraph_close'
        ? loneImage(inline)
        : undefined;
      if (!image || !inline || !close) {
        out.push(open);
        continue;
      }
      const line = open.map ? open.map[0] + 1 : undefined;
      const alt = image.children ? md.renderer.renderInlineAsText(image.children, md.options, env) : image.content;
      const title = String(image.attrGet('title') ?? '');
      if (!alt.trim()) env.diags.warn('no-alt', 'image without alt text: describe the picture for readers who cannot see it', { file: env.file, line });

      const fig = new state.Token('figure_open', 'figure', 1);
      fig.block = true;
      fig.map = open.map;
      fig.attrs = [...(open.attrs ?? [])];
      const imgClass = image.attrGet('class');
      if (imgClass) fig.attrJoin('class', String(imgClass));
      const id = fig.attrGet('id') ?? image.attrGet('id');
      fig.attrSet('id', env.ids.claim(id !== null ? String(id) : `fig-${String(image.attrGet('src') ?? '').split('/').pop()?.replace(/\.[^.]*$/, '') ?? 'image'}`));
      if (image.attrGet('id')) image.attrs = (image.attrs ?? []).filter(([k]) => k !== 'id');
      fig.meta = { line, alt };

      const capOpen = new state.Token('figcaption_open', 'figcaption', 1);
      capOpen.block = true;
      const caption = new state.Token('inline', '', 0);
      caption.map = open.map;
      caption.content = title || alt;
      caption.children = [];
      state.md.inline.parse(caption.content, state.md, env, caption.children);
      const capClose = new state.Token('figcaption_close', 'figcaption', -1);
      capClose.block = true;
      const figClose = new state.Token('figure_close', 'figure', -1);
      figClose.block = true;

      if (title) image.attrs = (image.attrs ?? []).filter(([k]) => k !== 'title');
      out.push(fig, inline);
      if (caption.content.trim()) out.push(capOpen, caption, capClose);
      out.push(figClose);
      i += 2;
    }
    state.tokens = out;
  });
}
