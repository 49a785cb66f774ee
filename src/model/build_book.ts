/**
 * Builds the one book model from a loaded project: parses every manuscript file, splits chapters at
 * level-1 headings, numbers notes by first reference across the whole book, registers every image.
 */
import path from 'node:path';
import type { Token } from 'markdown-it';
import type { Book, Chapter, Figure, Note, Section, SourcePos } from './types.js';
import { Diagnostics } from '../diagnostics.js';
import type { LoadedProject, SourceFile } from '../load/project.js';
import { toMetadata } from '../config/metadata.js';
import { createParser } from '../parse/markdown.js';
import type { ParseEnv } from '../parse/env.js';
import { IdRegistry, slugify } from '../util/slug.js';
import { AssetRegistry } from './assets.js';
import { loadBookStyles } from './styles.js';
import { numberBlocks } from './blocks.js';
import { computeEdition } from '../edition/edition.js';
import { inlineNoteKey } from '../parse/rules/footnote_collect.js';
import { ID_STYLES, type IdStyle } from '../parse/ids.js';
import { resolveLinks, writtenOn } from './links.js';

interface ParsedFile {
  index: number;
  rel: string;
  tokens: Token[];
  env: ParseEnv;
}

export function buildBook(project: LoadedProject, diags: Diagnostics): Book {
  const steps = bookSteps(project, diags);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * buildBook, letting other work run between the files it parses (a build's browser starts meanwhile,
 * and its messages are answered only when this thread is free).
 */
export async function buildBookYielding(project: LoadedProject, diags: Diagnostics): Promise<Book> {
  const steps = bookSteps(project, diags);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The work of buildBook, pausing (yield) after each file parsed and after each later stage. */
function* bookSteps(project: LoadedProject, diags: Diagnostics): Generator<void, Book> {
  const firstFile = project.files[0]?.rel ?? 'book.yaml';
  const meta = toMetadata(project.settings, diags, firstFile);
  const md = createParser(meta.lang, meta.dir);
  const ids = new IdRegistry();
  const idStyle = idStyleOf(project.settings['ids']);
  const parsed: ParsedFile[] = [];
  for (const [index, f] of project.files.entries()) {
    const body = withoutControls(withTitleHeading(f, md), f.rel, diags);
    const env: ParseEnv = { file: f.rel, lines: body.split('\n'), diags, ids, idStyle };
    parsed.push({ index, rel: f.rel, tokens: md.parse(body, env), env });
    yield;
  }

  const chapters = parsed.flatMap((p) => splitChapters(p, ids, md.renderer, diags));
  // An EPUB needs a document and a contents entry, and a book without a word is a mistake (an
  // unsaved file, the wrong folder): an error, not an empty book.
  if (chapters.length === 0 && project.files.length > 0) {
    diags.error('empty-book', `the manuscript has no text: ${project.files.map((f) => f.rel).join(', ')} ${project.files.length === 1 ? 'is' : 'are'} empty`, { file: firstFile, line: 1 });
  }
  const notes = numberNotes(parsed, chapters);
  resolveLinks(
    chapters,
    notes,
    parsed.map((p) => ({
      rel: p.rel,
      lines: p.env.lines,
      aliases: p.env.headingAliases ?? new Map(),
      headingTexts: p.env.headingTexts ?? [],
      permalink: project.files[p.index]?.permalink,
    })),
    diags,
  );
  numberBlocks(chapters);
  yield;
  const registry = new AssetRegistry(project.root, diags);
  const figures: Figure[] = [];
  const linesOf = new Map(parsed.map((p) => [p.rel, p.env.lines]));
  for (const ch of chapters) collectMedia(ch.tokens, ch.source.file, linesOf.get(ch.source.file) ?? [], registry, figures, md.renderer);
  for (const n of notes) collectMedia(n.tokens, n.source.file, linesOf.get(n.source.file) ?? [], registry, figures, md.renderer);
  for (const key of ['cover', 'logo'] as const) {
    const ref = meta[key];
    if (!ref) continue;
    const r = registry.resolveImage(ref, firstFile, { file: firstFile, line: 1 });
    meta[key] = r.kind === 'asset' ? r.asset.id : undefined;
  }
  const outline = buildOutline(chapters, diags);
  const book: Book = {
    root: project.root,
    meta,
    chapters,
    outline,
    notes,
    figures,
    assets: registry.assets,
    sources: project.inputs,
    styles: loadBookStyles(project.root, diags),
    edition: { inputs: [], sourcesSha256: '', versions: {} },
  };
  yield;
  book.edition = computeEdition(book);
  return book;
}

/**
 * A file whose front matter has a `title:` and whose text has no level-1 heading gets that title as
 * its heading, on the (blanked) line of the `title:` key, so the chapter and its contents entry exist.
 */
function withTitleHeading(f: SourceFile, md: ReturnType<typeof createParser>): string {
  if (!f.title) return f.body;
  const probe: ParseEnv = { file: f.rel, lines: f.body.split('\n'), diags: new Diagnostics(), ids: new IdRegistry() };
  if (md.parse(f.body, probe).some((t) => t.type === 'heading_open' && t.tag === 'h1')) return f.body;
  const lines = f.body.split('\n');
  const escaped = f.title.text.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]<>#!|~^$&]/g, '\\$&');
  lines[f.title.line - 1] = `# ${escaped}`;
  return lines.join('\n');
}

/** book.yaml `ids`: how automatic heading ids are made (pandoc, the default, or github). */
/** (A value that is neither is refused by the settings schema, config/schema.ts.) */
function idStyleOf(value: unknown): IdStyle {
  return typeof value === 'string' && (ID_STYLES as readonly string[]).includes(value.trim()) ? (value.trim() as IdStyle) : 'pandoc';
}

type Renderer = ReturnType<typeof createParser>['renderer'];

/**
 * Control characters (form feeds of old typescripts, stray U+0001…) cannot stand in XML: they are
 * taken out, with one warning per file naming the first line that held one.
 */
function withoutControls(body: string, file: string, diags: Diagnostics): string {
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/;
  if (!bad.test(body)) return body;
  const line = body.split('\n').findIndex((l) => bad.test(l)) + 1;
  diags.warn('control-character', 'control characters (such as form feeds) cannot be carried into a book and are left out', { file, line });
  return body.replace(new RegExp(bad.source, 'g'), '');
}

function headingText(tokens: Token[], i: number, renderer: Renderer): string {
  return renderer.renderInlineAsText(tokens[i + 1]?.children ?? [], {} as never, {}).trim();
}

/** Splits a file's tokens at each level-1 heading; text before the first one is a chapter of its own. */
function splitChapters(p: ParsedFile, ids: IdRegistry, renderer: Renderer, diags: Diagnostics): Chapter[] {
  const out: Chapter[] = [];
  let current: Chapter | undefined;
  // Only a heading at the top level starts a chapter (never one inside a list, quote or <div>).
  let depth = 0;
  for (let i = 0; i < p.tokens.length; i++) {
    const tok = p.tokens[i]!;
    const atTop = depth === 0;
    if (tok.block) depth += tok.nesting;
    if (tok.type === 'heading_open' && tok.tag === 'h1' && atTop) {
      const line = (tok.map?.[0] ?? 0) + 1;
      current = {
        id: String(tok.attrGet('id')),
        title: headingText(p.tokens, i, renderer),
        level: 1,
        source: { file: p.rel, line },
        tokens: [],
        notes: [],
      };
      out.push(current);
    } else if (!current) {
      if (tok.type === 'paragraph_open' || tok.block) {
        const base = slugify(path.basename(p.rel, path.extname(p.rel)));
        current = { id: ids.claim(base), title: '', level: 0, source: { file: p.rel, line: (tok.map?.[0] ?? 0) + 1 }, tokens: [], notes: [] };
        out.push(current);
      } else continue;
    }
    current!.tokens.push(tok);
  }
  if (out.length === 0) diags.warn('empty-file', 'this manuscript file has no content', { file: p.rel, line: 1 });
  return out;
}

function* walk(tokens: Token[]): Generator<Token> {
  for (const t of tokens) {
    yield t;
    if (t.children) yield* walk(t.children);
  }
}

/** Numbers notes book-wide by order of first reference; marks each footnote_ref token with its number. */
function numberNotes(parsed: ParsedFile[], chapters: Chapter[]): Note[] {
  const notes: Note[] = [];
  const byKey = new Map<string, Note>();
  const envOf = new Map(parsed.map((p) => [p.rel, p]));
  for (const ch of chapters) {
    const p = envOf.get(ch.source.file)!;
    for (const t of walk(ch.tokens)) {
      if (t.type !== 'footnote_ref') continue;
      const id = t.meta?.id as number;
      const key = `${p.index}:${id}`;
      let note = byKey.get(key);
      if (!note) {
        const entry = p.env.footnotes?.list?.[id];
        const def = p.env.noteDefs?.get(entry?.label ?? inlineNoteKey(id));
        note = {
          number: notes.length + 1,
          label: entry?.label ?? inlineNoteKey(id),
          key,
          source: { file: p.rel, line: def?.line ?? ch.source.line },
          tokens: def ? def.tokens : inlineNoteTokens(entry?.tokens ?? [], entry?.content ?? '', t),
          chapterId: ch.id,
          calls: 0,
        };
        notes.push(note);
        byKey.set(key, note);
        ch.notes.push(note.number);
      }
      t.meta = { ...(t.meta ?? {}), number: note.number, call: note.calls++ };
    }
  }
  return notes;
}

function inlineNoteTokens(children: Token[], content: string, like: Token): Token[] {
  const T = like.constructor as new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;
  const open = new T('paragraph_open', 'p', 1);
  open.block = true;
  const inline = new T('inline', '', 0);
  inline.content = content;
  inline.children = children;
  const close = new T('paragraph_close', 'p', -1);
  close.block = true;
  return [open, inline, close];
}

/** Resolves every image once, marks its token with the asset id, and records figures. */
function collectMedia(tokens: Token[], file: string, lines: string[], registry: AssetRegistry, figures: Figure[], renderer: Renderer): void {
  let map: [number, number] | undefined;
  // Within a block of several lines, the line on which each picture is written (from the last one found).
  let from = 0;
  let figure: Token | undefined;
  for (const t of walk(tokens)) {
    if (t.map) {
      map = t.map;
      from = t.map[0];
    }
    if (t.type === 'figure_open') figure = t;
    if (t.type === 'figcaption_open' || t.type === 'figure_close') figure = undefined;
    if (t.type !== 'image') continue;
    const src = String(t.attrGet('src') ?? '');
    let line = (map?.[0] ?? 0) + 1;
    const written = map && src ? writtenOn(lines, map, src, from) : undefined;
    if (written !== undefined) {
      line = written + 1;
      from = written;
    }
    const at: SourcePos = { file, line };
    const r = registry.resolveImage(src, file, at);
    t.meta = { ...(t.meta ?? {}), assetId: r.kind === 'asset' ? r.asset.id : undefined, remote: r.kind === 'remote' };
    if (figure && r.kind === 'asset') {
      figure.meta = { ...(figure.meta ?? {}), assetId: r.asset.id };
      figures.push({
        id: String(figure.attrGet('id')),
        assetId: r.asset.id,
        // The alt text as the sanitiser left it (parse/html/sanitize.ts), not as it was written.
        alt: renderer.renderInlineAsText(t.children ?? [], {} as never, {}).trim(),
        caption: '',
        classes: String(figure.attrGet('class') ?? '').split(/\s+/).filter(Boolean),
        source: at,
      });
    }
  }
  // Captions are the inline token after figcaption_open.
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'figcaption_open') continue;
    let j = i;
    while (j >= 0 && tokens[j]!.type !== 'figure_open') j--;
    const fig = figures.find((f) => f.id === String(tokens[j]?.attrGet('id')));
    if (fig) fig.caption = renderer.renderInlineAsText(tokens[i + 1]?.children ?? [], {} as never, {}).trim();
  }
}

/** The outline of headings, with warnings for skipped levels and empty sections. */
function buildOutline(chapters: Chapter[], diags: Diagnostics): Section[] {
  const roots: Section[] = [];
  const stack: Section[] = [];
  let prevLevel = 0;
  for (const ch of chapters) {
    const t = ch.tokens;
    for (let i = 0; i < t.length; i++) {
      if (t[i]!.type !== 'heading_open') continue;
      const level = Number(t[i]!.tag.slice(1));
      const source = { file: ch.source.file, line: (t[i]!.map?.[0] ?? 0) + 1 };
      const title = String(t[i]!.meta?.text ?? '');
      if (level > prevLevel + 1) {
        diags.warn('skipped-heading-level', `heading level jumps from ${prevLevel || 'none'} to ${level} at "${title}"`, source);
      }
      const next = t.slice(i + 3).find((x) => x.block && x.nesting !== -1);
      if (!next || (next.type === 'heading_open' && Number(next.tag.slice(1)) <= level)) {
        diags.warn('empty-section', `section "${title}" has no content`, source);
      }
      prevLevel = level;
      const section: Section = { id: String(t[i]!.attrGet('id')), title, level, source, children: [] };
      while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
      (stack.length ? stack[stack.length - 1]!.children : roots).push(section);
      stack.push(section);
    }
  }
  return roots;
}
