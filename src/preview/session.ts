/**
 * One book under preview: loads and checks it on every change, renders the print HTML in layout units
 * (the front matter, then one unit per chapter) and keeps the last good result when a save breaks the
 * book. A unit's key is a hash of everything its layout depends on, so the browser lays out again only
 * the units whose key changed (and keeps the pages of the rest).
 *
 * Chapter units are the parallel PDF's chunks of one chapter each (chunks.ts), rendered with the same
 * html.ts from the same model: same CSS, fonts, hyphenation and notes. Unchanged chapters are not even
 * rendered again (their HTML is cached by key); block numbers (data-b) count within each chapter so an
 * edit in one chapter does not change the markup of the others.
 */
import crypto from 'node:crypto';
import { BuildFacts } from '../model/facts.js';
import type { Token } from 'markdown-it';
import { prepare } from '../build.js';
import { BuildError, Diagnostics, type Diagnostic } from '../diagnostics.js';
import type { CliFlags, BuildOptions } from '../config/options.js';
import type { Book, Chapter } from '../model/types.js';
import { isTextBlockOpener } from '../model/blocks.js';
import { checkImages, imageVariants, type ImageVariant } from '../assets/images.js';
import type { BuildContext } from '../targets/target.js';
import { Logger } from '../util/log.js';
import { bookStack } from '../assets/glyphs.js';
import { fontFaceCss } from '../targets/pdf/fonts.js';
import { printCss, printParts, printDocument, type PrintChapter, type PrintHtmlOptions, type PrintParts } from '../targets/pdf/html.js';
import { chunkHtml, frontHtml } from '../targets/pdf/chunks.js';
import { pageCss, parsePageSize } from '../targets/pdf/page_size.js';

export const FONT_PATH = '/_tool/fonts/';
export const imagePath = (assetId: string, name: string) => `/_img/${encodeURIComponent(assetId)}/${encodeURIComponent(name)}`;

export type ChapterStart = 'right' | 'page' | 'continue';

export interface UnitInfo {
  key: string;
  kind: 'front' | 'chapter' | 'book';
  /** Chapter index (kind chapter), else -1. */
  chapter: number;
  title: string;
  /** Ids of the headings laid out in this unit (their pages number the contents). */
  headingIds: string[];
  /**
   * The whole book (kind book, pdf.chapterStart: continue): each chapter's key, its shape (the key but
   * for block numbers) and the number of its first text block, so that the view can lay out again
   * only from the first changed chapter on, until the pages come out as before after the last one.
   */
  chapters?: { key: string; shape: string; firstBlock: number }[];
}

export interface PreviewState {
  /** Counts successful loads; a failed one keeps the last good units and sets ok false. */
  rev: number;
  ok: boolean;
  diagnostics: Diagnostic[];
  chapterStart: ChapterStart;
  units: UnitInfo[];
  /** The sources' SHA-256 printed in the colophon (updated in place: it does not change the layout). */
  sourcesSha: string;
  /** The first text block that changed in the last edit: unit key and block number within it. */
  edited?: { key: string; block: number };
  /** Milliseconds of the last load (parse, checks, render). */
  loadMs: number;
  /** Hash of the print CSS: when it changes, the view drops the old book styles. */
  cssKey: string;
}

interface Unit extends UnitInfo {
  html: string;
  /** The whole book from chapter i on, without the front matter (a layout from a page on: unit.js ?from=). */
  from?: (i: number) => string;
  /** Block number within the chapter → source position (chapter units). */
  blocks?: Map<number, { file: string; line: number }>;
}

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex').slice(0, 20);

/**
 * A token list as text for hashing: everything a renderer reads, nothing about source lines; the
 * block numbers (data-b) go to `blocks`, so that a chapter only renumbered keeps its shape.
 */
function tokenSig(tokens: Token[], out: string[], blocks: number[]): void {
  for (const t of tokens) {
    let meta = t.meta ?? null;
    if (meta && meta.block !== undefined) {
      blocks.push(Number(meta.block));
      meta = { ...meta, block: undefined };
    }
    out.push(t.type, t.tag, t.content, t.info, t.markup, JSON.stringify(t.attrs), JSON.stringify(meta), t.hidden ? 'h' : '', '\u0001');
    if (t.children) tokenSig(t.children, out, blocks);
  }
}

/** Block numbers counted within each chapter (see the top of the file). */
function renumberBlocks(chapters: Chapter[]): void {
  for (const ch of chapters) {
    let n = 0;
    for (const t of ch.tokens) if (isTextBlockOpener(t) && t.meta?.block !== undefined) t.meta.block = ++n;
  }
}

function blockSources(ch: Chapter): Map<number, { file: string; line: number }> {
  const m = new Map<number, { file: string; line: number }>();
  for (const t of ch.tokens) if (t.meta?.block !== undefined && t.map) m.set(Number(t.meta.block), { file: ch.source.file, line: t.map[0] + 1 });
  return m;
}

/** Per-chapter text block contents, to find the first block an edit changed. */
function blockTexts(ch: Chapter): [number, string][] {
  const out: [number, string][] = [];
  for (let i = 0; i < ch.tokens.length; i++) {
    const t = ch.tokens[i]!;
    if (t.meta?.block === undefined) continue;
    out.push([Number(t.meta.block), ch.tokens[i + 1]?.type === 'inline' ? ch.tokens[i + 1]!.content : '']);
  }
  return out;
}

export interface SessionOptions {
  flags?: CliFlags;
  log?: Logger;
}

export class BookSession {
  state: PreviewState = { rev: 0, ok: false, diagnostics: [], chapterStart: 'right', units: [], sourcesSha: '', loadMs: 0, cssKey: '' };
  /**
   * The editor link pattern given on the command line (else SAMIZDAT_EDITOR / $EDITOR, see editor.ts).
   * Never from book.yaml: a book folder is not trusted to choose what a click opens.
   */
  editor?: string;
  book?: Book;
  options?: BuildOptions;
  variants = new Map<string, ImageVariant>();
  /** Heading id → page number in the view, reported by the browser: the contents print them. */
  tocNumbers = new Map<string, number>();
  private units = new Map<string, Unit>();
  private chapterCache = new Map<string, PrintChapter>();
  private lastTexts = new Map<string, [number, string][]>();
  private parts?: PrintParts;
  private readonly log: Logger;
  private loading: Promise<PreviewState> | undefined;
  private again = false;

  constructor(
    readonly dir: string,
    private readonly opts: SessionOptions = {},
  ) {
    this.log = opts.log ?? new Logger();
  }

  unit(key: string): Unit | undefined {
    return this.units.get(key);
  }

  /** Loads the book again; calls made while a load runs are folded into one more load after it. */
  reload(): Promise<PreviewState> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false;
          await this.loadOnce();
        } while (this.again);
        return this.state;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private async loadOnce(): Promise<void> {
    const started = performance.now();
    const diags = new Diagnostics();
    try {
      const prof = process.env['SAMIZDAT_PREVIEW_PROFILE'] ? (what: string) => process.stderr.write(`[preview] ${what} ${Math.round(performance.now() - started)} ms\n`) : () => {};
      const { book, options } = prepare(this.dir, this.opts.flags ?? {}, diags);
      prof('parsed');
      await checkImages(book, options, diags);
      if (diags.hasErrors()) throw new BuildError('errors', diags.items);
      const ctx = { book, options, diags, log: this.log, facts: new BuildFacts(), signal: new AbortController().signal } as unknown as BuildContext;
      const variants = await imageVariants(ctx, 'pdf');
      prof('images checked');
      // One unit per chapter: block numbers within the chapter (a whole-book unit keeps the book's).
      if (options.pdf.chapterStart !== 'continue') renumberBlocks(book.chapters);
      this.book = book;
      this.options = options;
      this.variants = variants;
      this.render(book, options, diags, prof);
      prof('rendered');
      this.state.loadMs = Math.round(performance.now() - started);
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      const items = e.diagnostics.length ? e.diagnostics : [{ severity: 'error' as const, code: 'load', message: e.message }];
      this.state = { ...this.state, ok: false, diagnostics: items, edited: undefined, loadMs: Math.round(performance.now() - started) };
    }
  }

  private htmlOptions(options: BuildOptions): PrintHtmlOptions {
    return { gray: options.pdf.color === 'gray', chapterStart: options.pdf.chapterStart, frontMatter: options.pdf.frontMatter };
  }

  private render(book: Book, options: BuildOptions, diags: Diagnostics, prof: (what: string) => void = () => {}): void {
    const css = printCss(book, fontFaceCss(bookStack(book), FONT_PATH), pageCss(parsePageSize(options.pdf.size), options.pdf.bleed, book.meta.dir));
    const htmlOpts = this.htmlOptions(options);
    const url = (id: string) => imagePath(id, this.variants.get(id)?.name ?? 'missing');
    const base = sha(css + JSON.stringify(htmlOpts) + book.meta.lang);
    const notes = new Map(book.notes.map((n) => [n.number, n]));
    // Per chapter: its shape (everything but the block numbers) and its key (the shape and the numbers).
    const shapes: string[] = [];
    const keys = book.chapters.map((ch) => {
      const sig: string[] = [base, ch.id, String(ch.level)];
      const blocks: number[] = [];
      tokenSig(ch.tokens, sig, blocks);
      for (const n of ch.notes) {
        const note = notes.get(n);
        if (note) tokenSig(note.tokens, sig, blocks);
      }
      for (const t of ch.tokens.concat(...book.notes.filter((n) => ch.notes.includes(n.number)).map((n) => n.tokens))) {
        for (const c of t.children ?? []) if (c.meta?.assetId) sig.push(this.variants.get(String(c.meta.assetId))?.name ?? '');
      }
      const shape = sha(sig.join('\u0002'));
      shapes.push(shape);
      return sha(shape + blocks.join(','));
    });
    prof('keys');
    const missing = book.chapters.filter((_, i) => !this.chapterCache.has(keys[i]!));
    const fresh = printParts({ ...book, chapters: missing }, css, url, htmlOpts);
    missing.forEach((ch) => {
      const i = book.chapters.indexOf(ch);
      this.chapterCache.set(keys[i]!, fresh.chapters.find((c) => c.id === ch.id)!);
    });
    // Keep the cache to the chapters of this and the previous load.
    const live = new Set(keys);
    for (const k of this.chapterCache.keys()) if (!live.has(k) && !this.units.has(k)) this.chapterCache.delete(k);
    const parts: PrintParts = { ...fresh, chapters: keys.map((k) => this.chapterCache.get(k)!) };
    prof(`${missing.length} chapter(s) rendered`);
    this.parts = parts;

    const mode = options.pdf.chapterStart;
    const units: Unit[] = [];
    const headingIdsOf = (i: number) => parts.chapters[i]!.headingIds;
    if (mode === 'continue') {
      const body = (i: number) => [...parts.chapters.slice(i).map((c) => `${c.open}\n${c.body}</section>`), parts.end].join('\n');
      const html = printDocument(parts, `${parts.front}\n${body(0)}`);
      const from = (i: number) => printDocument(parts, body(Math.max(0, Math.min(i, parts.chapters.length))));
      const blocks = new Map(book.chapters.flatMap((ch) => [...blockSources(ch)]));
      const chapters = book.chapters.map((ch, i) => ({ key: keys[i]!, shape: shapes[i]!, firstBlock: Number(ch.tokens.find((t) => t.meta?.block !== undefined)?.meta?.block ?? -1) }));
      units.push({ key: sha(html), kind: 'book', chapter: -1, title: book.meta.title, headingIds: book.chapters.flatMap((_, i) => headingIdsOf(i)), html, from, blocks, chapters });
    } else {
      if (options.pdf.frontMatter) units.push(this.frontUnit(book, parts, css, url, htmlOpts));
      book.chapters.forEach((ch, i) => {
        let html = chunkHtml(parts, { chapters: [i], headingIds: headingIdsOf(i), label: ch.title });
        // Without front matter the colophon closes the text: it runs on after the last chapter.
        if (i === book.chapters.length - 1 && parts.end) html = chunkHtml({ ...parts, chapters: parts.chapters.map((c, k) => (k === i ? { ...c, body: `${c.body}</section>\n${parts.end}\n<section hidden>` } : c)) }, { chapters: [i], headingIds: headingIdsOf(i), label: ch.title });
        const key = i === book.chapters.length - 1 && parts.end ? sha(keys[i]! + parts.end) : keys[i]!;
        units.push({ key, kind: 'chapter', chapter: i, title: ch.title || book.meta.title, headingIds: headingIdsOf(i), html, blocks: blockSources(ch) });
      });
    }

    // The first text block the edit changed, for the view to show its page.
    let edited: PreviewState['edited'];
    const texts = new Map<string, [number, string][]>();
    book.chapters.forEach((ch, i) => {
      const t = blockTexts(ch);
      texts.set(ch.id, t);
      const old = this.lastTexts.get(ch.id);
      const unit = units.find((u) => u.chapter === i) ?? units.find((u) => u.kind === 'book');
      if (edited || !old || !unit || this.units.has(unit.key)) return;
      const at = t.findIndex(([, s], k) => s !== old[k]?.[1]);
      if (at < 0 && t.length === old.length) return;
      const b = t[at < 0 ? t.length - 1 : at];
      if (b) edited = { key: unit.key, block: b[0] };
    });
    this.lastTexts = texts;
    // Units of this and the previous load stay reachable (a browser may still be loading the old ones).
    const previous = new Set(this.state.units.map((u) => u.key));
    for (const k of this.units.keys()) if (!previous.has(k)) this.units.delete(k);
    for (const u of units) this.units.set(u.key, u);
    this.state = {
      rev: this.state.rev + 1,
      ok: true,
      diagnostics: diags.items,
      chapterStart: mode,
      units: units.map(({ key, kind, chapter, title, headingIds, chapters }) => ({ key, kind, chapter, title, headingIds, chapters })),
      sourcesSha: book.edition.sourcesSha256,
      edited,
      loadMs: 0,
      cssKey: sha(css),
    };
  }

  /**
   * The front matter with the contents' page numbers the view reported (as the parallel PDF prints
   * them). Its key leaves out the sources' hash, which changes on every save but never the layout.
   */
  private frontUnit(book: Book, parts: PrintParts, css: string, url: (id: string) => string, htmlOpts: PrintHtmlOptions): Unit {
    const numbers = new Map(parts.chapters.flatMap((c) => c.headingIds).map((id) => [id, this.tocNumbers.get(id) ?? 0]));
    const html = frontHtml(parts, numbers);
    const neutral = printParts({ ...book, chapters: [], edition: { ...book.edition, sourcesSha256: '' } }, css, url, htmlOpts);
    const key = sha('front' + frontHtml(neutral, numbers));
    const headingIds = book.outline.length ? ['contents'] : [];
    return { key, kind: 'front', chapter: -1, title: 'front matter', headingIds, html };
  }

  /**
   * The browser reports where headings landed; when that changes the contents' numbers, the front
   * matter is rendered again (a new key: the view lays it out again). Returns whether it changed.
   */
  setTocNumbers(numbers: Record<string, number>): boolean {
    let changed = false;
    for (const [id, n] of Object.entries(numbers)) {
      if (typeof n !== 'number' || !Number.isInteger(n)) continue;
      if (this.tocNumbers.get(id) !== n) changed = true;
      this.tocNumbers.set(id, n);
    }
    if (!changed || !this.book || !this.options || !this.parts || !this.state.ok) return false;
    const i = this.state.units.findIndex((u) => u.kind === 'front');
    if (i < 0) return false;
    const css = this.parts.css;
    const url = (id: string) => imagePath(id, this.variants.get(id)?.name ?? 'missing');
    const front = this.frontUnit(this.book, this.parts, css, url, this.htmlOptions(this.options));
    if (front.key === this.state.units[i]!.key) return false;
    this.units.set(front.key, front);
    const units = this.state.units.slice();
    units[i] = { key: front.key, kind: front.kind, chapter: -1, title: front.title, headingIds: front.headingIds };
    this.state = { ...this.state, rev: this.state.rev + 1, units, edited: undefined };
    return true;
  }

  /** Where a text block of a unit (or a note, by number) comes from. */
  sourceOf(key: string, block?: number, note?: number): { file: string; line: number } | undefined {
    if (note !== undefined) {
      const n = this.book?.notes.find((x) => x.number === note);
      return n ? { file: n.source.file, line: n.source.line } : undefined;
    }
    const u = this.units.get(key);
    if (block === undefined || !u) return undefined;
    if (u.blocks) return u.blocks.get(block);
    return undefined;
  }
}
