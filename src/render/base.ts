/**
 * Rendering the book model's tokens. Each target builds a markdown-it Renderer with its own rules for
 * the token types where targets differ (footnote_ref, image, text); everything else renders alike.
 */
import MarkdownIt, { type RendererRule, type Token } from 'markdown-it';
import type { Asset, Book, LinkTarget } from '../model/types.js';


export interface TargetRules {
  /** Produces the `src` of an image asset in this target. */
  assetUrl(asset: Asset): string;
  /** Renders a note call; `number` is book-wide, `call` counts calls to the same note from 0. */
  noteRef(number: number, call: number): string;
  /**
   * The href of an in-book link in this target; undefined: no destination (the link renders without
   * one). Default: `#id`, and `#chapter-<id>` for the start of a chapter without a heading.
   */
  linkHref?(target: LinkTarget): string | undefined;
  /**
   * The href of a link that does not lead into the book (a web address, a relative path) in this
   * target; undefined: the link renders without one. Default: as written.
   */
  outsideHref?(href: string): string | undefined;
  /** Extra or replaced renderer rules. */
  rules?: Record<string, RendererRule>;
  xhtml?: boolean;
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function defaultLinkHref(to: LinkTarget): string | undefined {
  if (to.kind === 'id') return `#${to.id}`;
  if (to.kind === 'chapter') return `#chapter-${to.chapterId}`;
  return undefined;
}

export interface BookRenderer {
  /** `env` reaches every renderer rule (the print edition passes the chapter's file). */
  render(tokens: Token[], env?: Record<string, unknown>): string;
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
    // A remote or missing image is never embedded: its alt text stands in (nothing when it has none).
    if (!asset) return alt.trim() ? `<span class="missing-image">[${escapeHtml(alt)}]</span>` : '';
    // Tokens are shared by every target: render a copy with this target's src and size.
    const img = Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t);
    img.attrs = (t.attrs ?? []).filter(([k]) => k !== 'src' && k !== 'width' && k !== 'height');
    img.attrs.unshift(['src', target.assetUrl(asset)]);
    // The size the author wrote (<img width="12">) wins; the other side keeps the picture's proportions.
    const w = Number(t.attrGet('width') ?? NaN);
    const h = Number(t.attrGet('height') ?? NaN);
    if (asset.width && asset.height) {
      const width = w > 0 ? w : h > 0 ? Math.round((h * asset.width) / asset.height) : asset.width;
      const height = h > 0 ? h : w > 0 ? Math.round((w * asset.height) / asset.width) : asset.height;
      img.attrs.push(['width', String(width)], ['height', String(height)]);
    } else if (w > 0 || h > 0) {
      if (w > 0) img.attrs.push(['width', String(w)]);
      if (h > 0) img.attrs.push(['height', String(h)]);
    }
    const list = tokens.slice();
    list[idx] = img;
    return defaultImage(list, idx, opts, env, self);
  };
  // Raw HTML never reaches a renderer (parse/html/sanitize.ts made it tokens); were a piece left, it is text.
  r.rules['html_block'] = (tokens, idx) => escapeHtml(tokens[idx]!.content);
  r.rules['html_inline'] = (tokens, idx) => escapeHtml(tokens[idx]!.content);
  // In-book links (model/links.ts): a copy of the token with this target's href.
  r.rules['link_open'] = (tokens, idx, opts, _env, self) => {
    const t = tokens[idx]!;
    const to = t.meta?.target as LinkTarget | undefined;
    const written = t.attrGet('href');
    if (!to && (written === null || !target.outsideHref)) return self.renderToken(tokens, idx, opts);
    const href = to ? (target.linkHref ?? defaultLinkHref)(to) : target.outsideHref!(String(written));
    const a = Object.assign(Object.create(Object.getPrototypeOf(t) as object) as Token, t);
    a.attrs = (t.attrs ?? []).filter(([k]) => k !== 'href');
    if (href !== undefined) a.attrs.unshift(['href', href]);
    else if (to) a.attrs.push(['class', 'broken-link']);
    const list = tokens.slice();
    list[idx] = a;
    return self.renderToken(list, idx, opts);
  };
  for (const [name, rule] of Object.entries(target.rules ?? {})) r.rules[name] = rule;
  return {
    render: (tokens, env) => r.render(tokens, md.options, env ?? {}),
    renderInline: (tokens) => r.renderInline(tokens, md.options, {}),
  };
}
