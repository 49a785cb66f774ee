/**
 * The one sanitiser: turns every piece of raw HTML in a token stream (html_block, html_inline, in the
 * text, in notes, in captions and alt text) into ordinary markdown-it tokens — elements from the
 * allow-list (elements.ts) with cleaned attributes, and text. Targets then render tokens only, so
 * nothing written in the manuscript is ever pasted into an output as markup.
 *
 * Tree building, as an HTML parser would but across Markdown blocks:
 * - a block element opened in one HTML block (`<div>`, a blank line, Markdown, `</div>`) stays open
 *   around the Markdown until its end tag, the end of its Markdown container or the end of the file;
 * - text-level elements left open are closed at the end of their paragraph (an unclosed `<b>`);
 * - content models hold: a block start closes an open <p>; <li> outside a list opens one; text in a
 *   <ul> or <table> gets its <li> or cell; a block element inside a sentence (`the <h3> tag`), an
 *   end tag without a start and a name HTML does not know (`<stdio.h>`) stay in the text as written;
 * - <img> becomes an image token (the media registry resolves it like a Markdown image), <a> a link
 *   token, <p>, <h1>–<h6>, lists, tables, <figure> the tokens Markdown would make.
 */
import type { Token } from 'markdown-it';
import type { ParseEnv } from '../env.js';
import {
  DROPPED_WITH_CONTENT, FLOW, FORBIDDEN, IMPLIED_CHILD, KNOWN, PARENTS, PHRASING, RENAMED,
  SIBLING_GROUPS, STRUCTURAL, UNWRAPPED, VOID, cleanAttributes, contentOf,
} from './elements.js';
import { tokenizeHtml, type HtmlEvent } from './tokenize.js';

type TokenClass = new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;

/** Raw elements written as the token types Markdown makes for them. */
const MD_TYPES: Record<string, string> = {
  p: 'paragraph', h1: 'heading', h2: 'heading', h3: 'heading', h4: 'heading', h5: 'heading', h6: 'heading',
  ul: 'bullet_list', ol: 'ordered_list', li: 'list_item', blockquote: 'blockquote', table: 'table', thead: 'thead',
  tbody: 'tbody', tr: 'tr', th: 'th', td: 'td', dl: 'dl', dt: 'dt', dd: 'dd', figure: 'figure',
  figcaption: 'figcaption', a: 'link', em: 'em', strong: 'strong', s: 's',
};
const typeOf = (name: string, nesting: 1 | -1 | 0) => {
  const base = MD_TYPES[name] ?? `html_${name}`;
  return nesting === 0 ? base : `${base}_${nesting === 1 ? 'open' : 'close'}`;
};

/** Elements with content the tokenizer sees only as text or not at all: skipped to their end tag. */
const VOID_DROPPED = new Set(['input', 'param', 'source', 'track', 'area', 'keygen', 'image', 'isindex', 'bgsound', 'menuitem']);

export interface SanitizeContext {
  env: ParseEnv;
  Token: TokenClass;
  /** Line (1-based) of the block being cleaned, for diagnostics. */
  line: number | undefined;
  /** A link's href as Markdown would write it (markdown-it's validateLink + normalizeLink); undefined: none. */
  link?: (href: string) => string | undefined;
  /** Inline Markdown parsed into tokens (text between the tags of an HTML block is Markdown, as in Pandoc). */
  inline?: (src: string) => Token[];
}

const REPORTED = Symbol('raw-html-reported');

function report(ctx: SanitizeContext, severity: 'error' | 'warn', code: string, message: string, line = ctx.line): void {
  const env = ctx.env;
  const seen = ((env as Record<symbol, unknown>)[REPORTED] ??= new Set<string>()) as Set<string>;
  const key = `${severity}|${code}|${line}|${message}`;
  if (seen.has(key)) return;
  seen.add(key);
  const at = { file: env.file, line };
  if (severity === 'error') env.diags.error(code, message, at);
  else env.diags.warn(code, message, at);
}

interface Frame {
  name: string;
  /** Written as raw HTML (true) or made by Markdown. */
  raw: boolean;
  open?: Token;
  /** Index of the open token in the output. */
  at?: number;
  /** Its end tag came while a Markdown element inside it was open: it closes right after that one. */
  pendingClose?: boolean;
}

interface Skip {
  name: string;
  depth: number;
}

/** Skipping the content of a refused element; true while skipping. */
function skipping(skip: Skip | null, ev: HtmlEvent): boolean {
  if (!skip) return false;
  if (ev.kind === 'start' && ev.name === skip.name && !ev.selfClosing) skip.depth++;
  if (ev.kind === 'end' && ev.name === skip.name) skip.depth--;
  return true;
}

/** Decides what to do with a start tag's element before placing it. */
function refuse(ctx: SanitizeContext, ev: Extract<HtmlEvent, { kind: 'start' }>, line: number | undefined): Skip | null | 'done' | undefined {
  const name = ev.name;
  if (FORBIDDEN.has(name)) {
    report(ctx, 'error', 'unsafe-html', `raw HTML with active content removed: <${name}>`, line);
    return ev.selfClosing ? 'done' : { name, depth: 1 };
  }
  if (DROPPED_WITH_CONTENT.has(name)) {
    report(ctx, 'warn', 'html-dropped', `<${name}> cannot be carried into a book and is left out${VOID_DROPPED.has(name) ? '' : ' with its content'}`, line);
    return ev.selfClosing || VOID_DROPPED.has(name) ? 'done' : { name, depth: 1 };
  }
  for (const u of cleanAttributes(name, RENAMED[name] ?? name, ev.attrs).unsafe) {
    report(ctx, 'error', 'unsafe-html', `raw HTML with active content removed: ${u}`, line);
  }
  return undefined;
}

/** Text-level content: the children of one inline token, or the text inside raw block HTML. */
class Phrasing {
  readonly out: Token[] = [];
  private readonly stack: Frame[] = [];
  private readonly swallow = new Map<string, number>();
  private skip: Skip | null = null;
  private skippedMd = 0;

  constructor(
    private readonly ctx: SanitizeContext,
    private readonly lineOf: (needle: string) => number | undefined,
    private readonly altText = false,
  ) {}

  get hasContent(): boolean {
    return this.out.some((t) => t.type !== 'text' || t.content.trim() !== '');
  }

  text(s: string): void {
    const last = this.out[this.out.length - 1];
    if (last?.type === 'text' && !last.meta?.fromMd) {
      last.content += s;
      return;
    }
    const t = new this.ctx.Token('text', '', 0);
    t.content = s;
    this.out.push(t);
  }

  /** A token Markdown made. */
  md(tok: Token): void {
    if (tok.type === 'html_inline' || tok.type === 'html_block') {
      for (const ev of tokenizeHtml(tok.content)) this.event(ev);
      return;
    }
    if (this.skip) {
      if (tok.nesting === 1) this.skippedMd++;
      else if (tok.nesting === -1 && this.skippedMd > 0) this.skippedMd--;
      else if (tok.nesting === -1) this.closeMd(tok);
      return;
    }
    if (tok.type === 'image' && tok.children) tok.children = sanitizeAlt(tok.children, this.ctx, this.lineOf);
    if (tok.nesting === 1) {
      this.stack.push({ name: tok.tag, raw: false });
      this.out.push(tok);
    } else if (tok.nesting === -1) {
      this.closeMd(tok);
    } else {
      if (tok.type === 'text') tok.meta = { ...(tok.meta ?? {}), fromMd: true };
      this.out.push(tok);
    }
  }

  private closeMd(tok: Token): void {
    let i = this.stack.length - 1;
    while (i >= 0 && this.stack[i]!.raw) i--;
    while (this.stack.length - 1 > i) this.closeTop(true);
    if (i >= 0) this.stack.pop();
    this.out.push(tok);
    while (this.stack.at(-1)?.pendingClose) this.closeTop(false);
  }

  /** Inside code, text is literal. */
  get literal(): boolean {
    return this.stack.some((f) => f.raw && /^(code|kbd|samp|var)$/.test(f.name));
  }

  private inLink(): boolean {
    return this.stack.some((f) => f.name === 'a');
  }

  event(ev: HtmlEvent): void {
    if (skipping(this.skip, ev)) {
      if (this.skip!.depth === 0) this.skip = null;
      return;
    }
    const line = this.lineOf(ev.kind === 'text' ? ev.text.trim().slice(0, 20) : ev.raw);
    if (ev.kind === 'text') return this.text(ev.text);
    if (ev.kind === 'start') {
      const r = refuse(this.ctx, ev, line);
      if (r === 'done') return;
      if (r) {
        this.skip = r;
        return;
      }
      const name = ev.name;
      if (!KNOWN.has(name)) return this.text(ev.raw);
      if (UNWRAPPED.has(name)) return;
      const as = RENAMED[name] ?? name;
      if (!PHRASING.has(as) || this.altText) {
        if (!this.altText) report(this.ctx, 'warn', 'html-as-text', `<${name}> inside a sentence is kept as text (a block element cannot stand there)`, line);
        if (!this.altText || !PHRASING.has(as)) this.text(ev.raw);
        return;
      }
      const { attrs } = cleanAttributes(name, as, ev.attrs);
      if (as === 'img') return this.image(attrs, line);
      if (as === 'br') {
        this.out.push(new this.ctx.Token('hardbreak', 'br', 0));
        return;
      }
      if (as === 'wbr') {
        this.out.push(new this.ctx.Token('html_wbr', 'wbr', 0));
        return;
      }
      if (as === 'a' && this.inLink()) {
        this.swallow.set('a', (this.swallow.get('a') ?? 0) + 1);
        return;
      }
      const need = PARENTS[as];
      if (need && !this.stack.some((f) => need.parents.includes(f.name))) return;
      const open = new this.ctx.Token(typeOf(as, 1), as, 1);
      open.attrs = claimIds(as === 'a' ? linkAttrs(attrs, this.ctx) : attrs, this.ctx, line);
      if (as === 'a') open.markup = 'html';
      this.out.push(open);
      this.stack.push({ name: as, raw: true, open });
      if (ev.selfClosing) this.closeTop(false);
      return;
    }
    // An end tag.
    const name = ev.name;
    if (!KNOWN.has(name)) return this.text(ev.raw);
    if (FORBIDDEN.has(name) || DROPPED_WITH_CONTENT.has(name) || UNWRAPPED.has(name) || VOID.has(name)) {
      if (name === 'br' && !this.altText) this.out.push(new this.ctx.Token('hardbreak', 'br', 0));
      return;
    }
    const as = RENAMED[name] ?? name;
    if (this.altText) {
      if (!PHRASING.has(as)) this.text(ev.raw);
      return;
    }
    let i = this.stack.length - 1;
    let blocked = false;
    for (; i >= 0; i--) {
      const f = this.stack[i]!;
      if (f.raw && f.name === as) break;
      if (!f.raw) blocked = true;
    }
    if (i >= 0 && !blocked) {
      while (this.stack.length - 1 > i) this.closeTop(true);
      this.closeTop(false);
      return;
    }
    if (i >= 0) {
      this.stack[i]!.pendingClose = true;
      return;
    }
    const n = this.swallow.get(as) ?? 0;
    if (n > 0) {
      this.swallow.set(as, n - 1);
      return;
    }
    report(this.ctx, 'warn', 'html-as-text', `${ev.raw} closes nothing and is kept as text`, line);
    this.text(ev.raw);
  }

  private image(attrs: [string, string][], line: number | undefined): void {
    const src = attrs.find(([k]) => k === 'src')?.[1];
    const alt = attrs.find(([k]) => k === 'alt')?.[1] ?? '';
    if (!src) {
      report(this.ctx, 'warn', 'html-dropped', '<img> without src is left out', line);
      if (alt) this.text(alt);
      return;
    }
    const img = new this.ctx.Token('image', 'img', 0);
    img.attrs = [['src', src], ['alt', ''], ...claimIds(attrs.filter(([k]) => k !== 'src' && k !== 'alt'), this.ctx, line)];
    const t = new this.ctx.Token('text', '', 0);
    t.content = alt;
    img.children = alt ? [t] : [];
    img.content = alt;
    img.meta = { raw: true, line };
    this.out.push(img);
  }

  private closeTop(implied: boolean): void {
    const f = this.stack.pop();
    if (!f) return;
    if (!f.raw) return;
    if (implied) this.swallow.set(f.name, (this.swallow.get(f.name) ?? 0) + 1);
    this.out.push(new this.ctx.Token(typeOf(f.name, -1), f.name, -1));
  }

  /** Closes whatever raw element is still open (an unclosed <b> ends with its paragraph). */
  finish(): Token[] {
    this.skip = null;
    while (this.stack.length) {
      const f = this.stack[this.stack.length - 1]!;
      if (!f.raw) {
        this.stack.pop();
        continue;
      }
      this.closeTop(false);
    }
    return this.out;
  }
}

/** Alt text is text: tags go, their words stay; active content is still reported. */
function sanitizeAlt(children: Token[], ctx: SanitizeContext, lineOf: (s: string) => number | undefined): Token[] {
  const p = new Phrasing(ctx, lineOf, true);
  for (const c of children) p.md(c);
  const out: Token[] = [];
  const flat = (ts: Token[]) => {
    for (const t of ts) {
      if (t.type === 'text' || t.type === 'code_inline') {
        const x = new ctx.Token('text', '', 0);
        x.content = t.content;
        out.push(x);
      } else if (t.type === 'softbreak' || t.type === 'hardbreak') {
        const x = new ctx.Token('text', '', 0);
        x.content = ' ';
        out.push(x);
      } else if (t.children) flat(t.children);
    }
  };
  flat(p.finish());
  return out;
}

/** An <a>'s href made what a Markdown link's would be (percent-encoded; refused schemes dropped). */
function linkAttrs(attrs: [string, string][], ctx: SanitizeContext): [string, string][] {
  if (!ctx.link) return attrs;
  return attrs.flatMap(([k, v]): [string, string][] => {
    if (k !== 'href') return [[k, v]];
    const href = ctx.link!(v.trim());
    return href === undefined ? [] : [['href', href]];
  });
}

/** Ids written in raw HTML are unique across the book like every other id. */
function claimIds(attrs: [string, string][], ctx: SanitizeContext, line: number | undefined): [string, string][] {
  return attrs.map(([k, v]) => {
    if (k !== 'id') return [k, v];
    const id = ctx.env.ids.claim(v);
    if (id !== v) report(ctx, 'warn', 'duplicate-id', `id "${v}" is used twice; this one becomes "${id}"`, line);
    return [k, id];
  });
}

/** The children of one inline token, cleaned. */
export function sanitizeInline(children: Token[], ctx: SanitizeContext, lineOf: (s: string) => number | undefined): Token[] {
  if (!children.some(needsWork)) return children;
  const p = new Phrasing(ctx, lineOf);
  for (const c of children) p.md(c);
  return p.finish();
}

function needsWork(t: Token): boolean {
  return t.type === 'html_inline' || t.type === 'html_block' || (t.type === 'image' && !!t.children?.some(needsWork));
}

/** A block-level token stream (one file's, or one note's), cleaned. */
export class BlockSanitizer {
  readonly out: Token[] = [];
  private readonly stack: Frame[] = [];
  private readonly swallow = new Map<string, number>();
  private buf: { p: Phrasing; force: boolean } | null = null;
  private skip: Skip | null = null;
  private ctx: SanitizeContext;

  constructor(
    env: ParseEnv,
    Token: TokenClass,
    private readonly lineOfIn: (map: [number, number] | null | undefined, needle: string) => number | undefined,
    link?: (href: string) => string | undefined,
    inline?: (src: string) => Token[],
  ) {
    this.ctx = { env, Token, line: undefined, link, inline };
  }

  private get top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Whether a Markdown figure would land inside a figure written in HTML. */
  get inRawFigure(): boolean {
    return !!this.top?.raw && this.top.name === 'figure';
  }

  /** The id of a Markdown figure that gave way to the HTML <figure> around it. */
  adoptFigureId(id: string): void {
    const f = this.top;
    if (f?.raw && f.name === 'figure' && f.open && f.open.attrGet('id') === null) f.open.attrSet('id', id);
  }

  /** A token Markdown made, at block level. */
  md(tok: Token): void {
    this.ctx.line = tok.map ? tok.map[0] + 1 : this.ctx.line;
    if (tok.type === 'html_block') return this.html(tok);
    if (tok.type === 'inline') {
      this.flush();
      if (tok.children) tok.children = sanitizeInline(tok.children, this.ctx, (s) => this.lineOfIn(tok.map, s));
      this.out.push(tok);
      return;
    }
    this.flush();
    if (tok.nesting === 1) {
      this.placeBlock();
      this.out.push(tok);
      this.stack.push({ name: tok.tag, raw: false });
    } else if (tok.nesting === -1) {
      let i = this.stack.length - 1;
      while (i >= 0 && this.stack[i]!.raw) i--;
      while (this.stack.length - 1 > i) {
        report(this.ctx, 'warn', 'html-unclosed', `<${this.top!.name}> is not closed before the end of its Markdown block; closed here`);
        this.closeTop(true);
      }
      if (i >= 0) this.stack.pop();
      this.out.push(tok);
    } else {
      this.placeBlock();
      this.out.push(tok);
    }
  }

  /** Before a block: close an open <p> (or other text-only block), open the <li>/cell a list/table needs. */
  private placeBlock(): void {
    while (this.top?.raw && contentOf(this.top.name) === 'phrasing') this.closeTop(true);
    while (this.top?.raw && STRUCTURAL[this.top.name] && IMPLIED_CHILD[this.top.name]) this.openImplied(IMPLIED_CHILD[this.top.name]!);
  }

  private openImplied(name: string): void {
    const open = new this.ctx.Token(typeOf(name, 1), name, 1);
    open.block = true;
    open.map = this.ctx.line ? [this.ctx.line - 1, this.ctx.line] : null;
    open.meta = { implied: true };
    this.out.push(open);
    this.stack.push({ name, raw: true, open, at: this.out.length - 1 });
  }

  private html(tok: Token): void {
    const base = tok.map ? tok.map[0] + 1 : this.ctx.line;
    const content = tok.content;
    let lineAt = 0;
    let lines = 0;
    for (const ev of tokenizeHtml(content)) {
      for (; lineAt < ev.offset && lineAt < content.length; lineAt++) if (content.charCodeAt(lineAt) === 10) lines++;
      this.ctx.line = base === undefined ? undefined : base + lines;
      // Text between the tags is Markdown (Pandoc's markdown_in_html_blocks), read from the source as
      // written — except in <pre> and code, where it is what it says.
      if (ev.kind === 'text' && !this.skip && this.ctx.inline && ev.text.trim() !== '' && !this.stack.some((f) => f.name === 'pre')) {
        const p = this.ensureText();
        if (!p.literal) {
          for (const t of this.ctx.inline(content.slice(ev.offset, ev.end))) p.md(t);
          continue;
        }
      }
      this.event(ev);
    }
    this.skip = null;
    this.flush();
  }

  private ensureText(): Phrasing {
    if (this.buf) return this.buf.p;
    while (this.top?.raw && STRUCTURAL[this.top.name] && IMPLIED_CHILD[this.top.name]) this.openImplied(IMPLIED_CHILD[this.top.name]!);
    const line = this.ctx.line;
    this.buf = { p: new Phrasing(this.ctx, () => line), force: false };
    return this.buf.p;
  }

  /** Ends the text run: an inline token (in a paragraph when it stands at the top level). */
  private flush(): void {
    const b = this.buf;
    if (!b) return;
    this.buf = null;
    const children = b.p.finish();
    if (!b.force && !b.p.hasContent) return;
    // Blocks never start or end with the white space between tags.
    const pre = this.stack.some((f) => f.name === 'pre');
    if (!pre) {
      const blank = (t: Token | undefined) => !!t && (t.type === 'softbreak' || (t.type === 'text' && t.content.trim() === ''));
      while (blank(children[0])) children.shift();
      while (blank(children[children.length - 1])) children.pop();
      const first = children[0];
      if (first?.type === 'text') first.content = first.content.replace(/^\s+/, '');
      const last = children[children.length - 1];
      if (last?.type === 'text') last.content = last.content.replace(/\s+$/, '');
    }
    const inline = new this.ctx.Token('inline', '', 0);
    inline.children = children.filter((c) => c.type !== 'text' || c.content !== '');
    inline.content = inline.children.map((c) => (c.type === 'text' ? c.content : '')).join('');
    inline.map = this.ctx.line ? [this.ctx.line - 1, this.ctx.line] : null;
    // Text straight inside a Markdown container (or the file) is a paragraph, as Markdown would make it.
    if ((!this.top || !this.top.raw) && !b.force) {
      const open = new this.ctx.Token('paragraph_open', 'p', 1);
      open.block = true;
      open.map = inline.map;
      const close = new this.ctx.Token('paragraph_close', 'p', -1);
      close.block = true;
      this.out.push(open, inline, close);
    } else this.out.push(inline);
  }

  private event(ev: HtmlEvent): void {
    if (skipping(this.skip, ev)) {
      if (this.skip!.depth === 0) this.skip = null;
      return;
    }
    if (ev.kind === 'text') {
      if (!this.buf && ev.text.trim() === '') return;
      this.ensureText().event(ev);
      return;
    }
    const name = ev.name;
    if (ev.kind === 'start') {
      const as = RENAMED[name] ?? name;
      if (!KNOWN.has(name) || PHRASING.has(as) || UNWRAPPED.has(name)) {
        if (!KNOWN.has(name) || PHRASING.has(as)) this.ensureText().event(ev);
        return;
      }
      const r = refuse(this.ctx, ev, this.ctx.line);
      if (r === 'done') return;
      if (r) {
        this.skip = r;
        return;
      }
      this.openBlock(name, as, ev);
      return;
    }
    // End tags.
    const as = RENAMED[name] ?? name;
    if (!KNOWN.has(name) || PHRASING.has(as)) {
      if (this.buf) this.buf.p.event(ev);
      else if (!KNOWN.has(name)) this.ensureText().event(ev);
      else report(this.ctx, 'warn', 'html-unbalanced', `${ev.raw} closes nothing and is left out`);
      return;
    }
    if (FORBIDDEN.has(name) || DROPPED_WITH_CONTENT.has(name) || UNWRAPPED.has(name) || VOID.has(as)) return;
    this.flush();
    let i = this.stack.length - 1;
    for (; i >= 0; i--) {
      const f = this.stack[i]!;
      if (!f.raw) {
        i = -1;
        break;
      }
      if (f.name === as) break;
    }
    if (i >= 0) {
      while (this.stack.length - 1 > i) this.closeTop(true);
      this.closeTop(false);
      return;
    }
    const n = this.swallow.get(as) ?? 0;
    if (n > 0) {
      this.swallow.set(as, n - 1);
      return;
    }
    report(this.ctx, 'warn', 'html-unbalanced', `${ev.raw} closes nothing and is left out`);
  }

  private openBlock(name: string, as: string, ev: Extract<HtmlEvent, { kind: 'start' }>): void {
    this.flush();
    const line = this.ctx.line;
    // Implied end tags: a block closes an open <p> or heading; <li> closes the open <li>, and so on.
    while (this.top?.raw && contentOf(this.top.name) === 'phrasing') this.closeTop(true);
    const group = SIBLING_GROUPS.find((g) => g.includes(as));
    if (group) {
      for (let i = this.stack.length - 1; i >= 0; i--) {
        const f = this.stack[i]!;
        if (!f.raw || (STRUCTURAL[f.name] && !group.includes(f.name))) break;
        if (group.includes(f.name)) {
          while (this.stack.length - 1 >= i) this.closeTop(true);
          break;
        }
      }
    }
    const need = PARENTS[as];
    if (need && !(this.top && need.parents.includes(this.top.name) && this.top.raw)) {
      if (!need.implied) {
        // A table part outside a table, a caption outside a figure: the tag goes, the content stays.
        report(this.ctx, 'warn', 'html-unbalanced', `<${name}> outside <${need.parents[0]}> is left out (its content is kept)`, line);
        this.swallow.set(as, (this.swallow.get(as) ?? 0) + 1);
        return;
      }
      const chain: string[] = [];
      for (let p: string | undefined = need.implied; p; ) {
        chain.unshift(p);
        const up: { parents: readonly string[]; implied?: string } | undefined = PARENTS[p];
        p = up && !(this.top && up.parents.includes(this.top.name) && this.top.raw) ? up.implied : undefined;
      }
      this.placeBlock();
      for (const p of chain) this.openImplied(p);
    } else if (!need) {
      this.placeBlock();
    }
    const { attrs } = cleanAttributes(name, as, ev.attrs);
    const heading = /^h[1-6]$/.test(as);
    const nesting = VOID.has(as) ? 0 : 1;
    const open = new this.ctx.Token(typeOf(as, nesting), as, nesting);
    open.block = true;
    open.map = line ? [line - 1, line] : null;
    // Heading ids are claimed by heading_ids (with the author's id first), all others here.
    open.attrs = heading ? attrs : claimIds(attrs, this.ctx, line);
    // A closed <details> hides its text on paper: every edition shows it open.
    if (as === 'details' && open.attrGet('open') === null) open.attrSet('open', 'open');
    if (as === 'hr') open.markup = '---';
    if (nesting === 0) {
      this.out.push(open);
      return;
    }
    this.out.push(open);
    this.stack.push({ name: as, raw: true, open, at: this.out.length - 1 });
    if (ev.selfClosing) {
      this.closeTop(false);
      return;
    }
    if (contentOf(as) === 'phrasing') {
      // Text-only blocks always hold an inline token (headings and paragraphs are read that way).
      const p = new Phrasing(this.ctx, () => line);
      this.buf = { p, force: true };
    }
  }

  private closeTop(implied: boolean): void {
    this.flush();
    const f = this.stack.pop();
    if (!f || !f.raw) return;
    if (implied) this.swallow.set(f.name, (this.swallow.get(f.name) ?? 0) + 1);
    const close = new this.ctx.Token(typeOf(f.name, -1), f.name, -1);
    close.block = true;
    this.out.push(close);
    if (f.name === 'figure' && f.at !== undefined) this.finishFigure(f.at);
  }

  /** A figure written in HTML is registered like a Markdown one: an id, its line, its image's alt. */
  private finishFigure(at: number): void {
    const open = this.out[at]!;
    const image = this.out.slice(at).flatMap((t) => (t.type === 'inline' ? t.children ?? [] : [t])).find((t) => t.type === 'image');
    if (!image) return;
    if (open.attrGet('id') === null) {
      const base = String(image.attrGet('src') ?? '').split('/').pop()?.replace(/\.[^.]*$/, '') || 'image';
      open.attrSet('id', this.ctx.env.ids.claim(`fig-${base}`));
    }
    open.meta = { ...(open.meta ?? {}), line: open.map ? open.map[0] + 1 : undefined, raw: true };
  }

  /** Closes what is still open at the end of the file (with a warning naming its line). */
  finish(): Token[] {
    this.flush();
    while (this.stack.length) {
      const f = this.top!;
      if (f.raw) {
        const line = f.open?.map ? f.open.map[0] + 1 : undefined;
        if (!f.open?.meta?.implied && FLOW.has(f.name)) report(this.ctx, 'warn', 'html-unclosed', `<${f.name}> is never closed; closed at the end of the file`, line);
        this.closeTop(false);
      } else this.stack.pop();
    }
    return this.out;
  }
}

