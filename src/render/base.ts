/**
 * Rendering the book model's tokens. Each target builds a markdown-it Renderer with its own rules for
 * the token types where targets differ (footnote_ref, image, text); everything else renders alike.
 */
import MarkdownIt, { type RendererRule, type Token } from 'markdown-it';
import type { Asset, Book } from '../model/types.js';


export interface TargetRules {
  /** Produces the `src` of an image asset in this target. */
  assetUrl(asset: Asset): string;
  /** Renders a note call; `number` is book-wide, `call` counts calls to the same note from 0. */
  noteRef(number: number, call: number): string;
  /** Extra or replaced renderer rules. */
  rules?: Record<string, RendererRule>;
  xhtml?: boolean;
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface BookRenderer {
  render(tokens: Token[]): string;
  renderInline(tokens: Token[]): string;
}

export function createRenderer(book: Book, target: TargetRules): BookRenderer {
  const md = new MarkdownIt({ html: true, xhtmlOut: !!target.xhtml });
  const r = md.renderer;
  r.rules['footnote_ref'] = (tokens, idx) => {
    const m = tokens[idx]!.meta as { number: number; call: number };
    return target.noteRef(m.number, m.call);
  };
  const defaultImage = r.rules['image']!;
  r.rules['image'] = (tokens, idx, opts, env, self) => {
    const t = tokens[idx]!;
    const asset = t.meta?.assetId ? book.assets.get(t.meta.assetId as string) : undefined;
    const alt = self.renderInlineAsText(t.children ?? [], opts, env);
    if (!asset) return `<span class="missing-image">[${escapeHtml(alt)}]</span>`;
    // Tokens are shared by every target: render a copy with this target's src and size.
    const img = Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t);
    img.attrs = (t.attrs ?? []).filter(([k]) => k !== 'src' && !(asset.width && (k === 'width' || k === 'height')));
    img.attrs.unshift(['src', target.assetUrl(asset)]);
    if (asset.width && asset.height) img.attrs.push(['width', String(asset.width)], ['height', String(asset.height)]);
    const list = tokens.slice();
    list[idx] = img;
    return defaultImage(list, idx, opts, env, self);
  };
  for (const [name, rule] of Object.entries(target.rules ?? {})) r.rules[name] = rule;
  return {
    render: (tokens) => r.render(tokens, md.options, {}),
    renderInline: (tokens) => r.renderInline(tokens, md.options, {}),
  };
}
