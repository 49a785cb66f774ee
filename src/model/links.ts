/**
 * Links inside the book, resolved once for every target: `#id`, `other.md#id`, `other.html#id`,
 * `../part/other.md` (relative to the linking file) and Pandoc's implicit header references become a
 * typed LinkTarget on the link_open token (meta.target); each target renders it its own way (the EPUB
 * to the content document that holds the id, the web edition and the PDF to `#id`). A link into the
 * book that resolves nowhere (no such manuscript file, no such id) or to a file that is not a page
 * (LICENSE, data.csv) is a warning with file and line, and its words are printed without a link.
 */
import path from 'node:path';
import type { Token } from 'markdown-it';
import type { Chapter, LinkTarget, Note } from './types.js';
import type { Diagnostics } from '../diagnostics.js';
import type { ImplicitRef } from '../parse/rules/implicit_refs.js';

export interface LinkFile {
  rel: string;
  lines: string[];
  /** Ids this file alone would give its headings → the ids they have in the book (heading_ids). */
  aliases: Map<string, string>;
  headingTexts: { text: string; id: string }[];
  /** The page's web address from its front matter (Jekyll's `permalink:`), if any. */
  permalink?: string;
}

const PAGE_EXT = /\.(md|markdown|html?|xhtml)$/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:|^\/\//i;
/** A web address as a key: `/guide/basics/`, `guide/basics.html`, `/guide/basics/index.html` → `guide/basics`. */
const pageKey = (p: string) => p.replace(/^(\.\.?\/)+|^\/+/, '').replace(/(\/index)?\.html?$/i, '').replace(/\/+$/, '');
const lastSegment = (k: string) => k.slice(k.lastIndexOf('/') + 1);
const label = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function* walkInline(tokens: Token[]): Generator<{ token: Token; list: Token[]; index: number; map?: [number, number] }> {
  let map: [number, number] | undefined;
  for (const t of tokens) {
    if (t.map) map = t.map;
    const kids = t.children ?? [];
    for (let i = 0; i < kids.length; i++) yield { token: kids[i]!, list: kids, index: i, map };
  }
}

export function resolveLinks(chapters: Chapter[], notes: Note[], files: LinkFile[], diags: Diagnostics): void {
  const byRel = new Map(files.map((f) => [f.rel, f]));
  // A manuscript page by its path without extension: `manuscript/02-basics`.
  const byStem = new Map(files.map((f) => [f.rel.replace(PAGE_EXT, ''), f.rel]));
  // Pages by permalink, and by its last segment where that is unambiguous (links relative to the page).
  const byPermalink = new Map<string, string>();
  const bySegment = new Map<string, string | null>();
  for (const f of files) {
    if (!f.permalink) continue;
    const key = pageKey(f.permalink);
    byPermalink.set(key, f.rel);
    const seg = lastSegment(key);
    bySegment.set(seg, bySegment.has(seg) && bySegment.get(seg) !== f.rel ? null : f.rel);
  }
  const idFile = new Map<string, string>();
  const firstChapter = new Map<string, Chapter>();
  for (const ch of chapters) {
    if (!firstChapter.has(ch.source.file)) firstChapter.set(ch.source.file, ch);
    for (const t of ch.tokens) {
      for (const x of [t, ...(t.children ?? [])]) {
        const id = x.attrGet('id');
        if (id !== null && !idFile.has(String(id))) idFile.set(String(id), ch.source.file);
      }
    }
  }
  const byText = new Map<string, string>();
  for (const f of files) for (const h of f.headingTexts) if (!byText.has(label(h.text))) byText.set(label(h.text), h.id);

  const anchor = (file: string, frag: string): string | undefined => byRel.get(file)?.aliases.get(frag) ?? (idFile.has(frag) ? frag : undefined);
  const startOf = (file: string): LinkTarget => {
    const ch = firstChapter.get(file)!;
    return ch.level > 0 ? { kind: 'id', id: ch.id } : { kind: 'chapter', chapterId: ch.id };
  };

  const resolve = (href: string, from: string): { target?: LinkTarget; problem?: string } => {
    if (!href || SCHEME.test(href)) return {};
    const hash = href.indexOf('#');
    const pathPart = decode((hash < 0 ? href : href.slice(0, hash)).replace(/\?.*$/, ''));
    const frag = hash < 0 ? undefined : decode(href.slice(hash + 1));
    let file = from;
    if (pathPart) {
      // A page of the book: a manuscript file by name (relative to the linking file), or a page's permalink.
      const page = PAGE_EXT.test(pathPart) || pathPart.endsWith('/') || pathPart.startsWith('/');
      // A file that is not a page (LICENSE, a picture, a download): no edition can take a reader there —
      // the PDF would point at nothing, the web edition and the EPUB carry only the book's pages — so its
      // words are printed without a link, and the writer hears of it.
      if (!page) return { target: { kind: 'none', href }, problem: `link to "${href}": ${pathPart} is not a page of the book (only manuscript files and their headings can be linked in every edition); its words are printed without a link` };
      const wanted = path.posix.normalize(path.posix.join(path.posix.dirname(from), pathPart)).replace(PAGE_EXT, '');
      const key = pageKey(pathPart);
      const found =
        (pathPart.startsWith('/') ? undefined : byStem.get(wanted)) ?? byPermalink.get(key) ?? bySegment.get(lastSegment(key)) ?? undefined;
      if (!found || !firstChapter.has(found)) {
        const what = pathPart.startsWith('/') || pathPart.endsWith('/') ? `no page with the permalink ${pathPart}` : `no manuscript file ${wanted}.md`;
        return { target: { kind: 'none', href }, problem: `link to "${href}": ${what} in the book` };
      }
      file = found;
    }
    if (frag === undefined || frag === '') return { target: startOf(file) };
    const id = anchor(file, frag);
    if (id) return { target: { kind: 'id', id } };
    return {
      target: pathPart ? startOf(file) : { kind: 'none', href },
      problem: `link to "${href}": no heading or element with id "${frag}"${pathPart ? ` in ${file}` : ' in the book'}`,
    };
  };

  const visit = (tokens: Token[], file: string) => {
    const f = byRel.get(file);
    for (const { token, list, index, map } of walkInline(tokens)) {
      if (token.type !== 'link_open') continue;
      const implicit = token.meta?.implicit as ImplicitRef | undefined;
      if (implicit) {
        const id = byText.get(label(implicit.label));
        if (id) token.meta = { ...token.meta, target: { kind: 'id', id } satisfies LinkTarget };
        else unlink(list, index, implicit);
        continue;
      }
      const href = String(token.attrGet('href') ?? '');
      const { target, problem } = resolve(href, file);
      if (target) token.meta = { ...(token.meta ?? {}), target };
      if (problem) diags.warn('broken-link', problem, { file, line: map ? (writtenOn(f?.lines ?? [], map, href) ?? map[0]) + 1 : undefined });
    }
  };
  for (const ch of chapters) visit(ch.tokens, ch.source.file);
  for (const n of notes) visit(n.tokens, n.source.file);
}

/**
 * The 0-based line of the block (map), from line `from` on, on which `ref` (a link's href, a picture's
 * src: as written, or as markdown-it escaped it) is written; undefined when none holds it.
 */
export function writtenOn(lines: string[], map: [number, number], ref: string, from = map[0]): number | undefined {
  const needle = decode(ref);
  for (let l = from; l < Math.max(map[1], map[0] + 1); l++) if (lines[l]?.includes(ref) || lines[l]?.includes(needle)) return l;
  return undefined;
}

/** An implicit reference that names no heading: its brackets as written, the text between them as parsed. */
function unlink(list: Token[], index: number, ref: ImplicitRef): void {
  const open = list[index]!;
  let depth = 0;
  let close = index;
  for (let i = index; i < list.length; i++) {
    depth += list[i]!.nesting;
    if (depth === 0) {
      close = i;
      break;
    }
  }
  const T = open.constructor as new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;
  const text = (content: string) => Object.assign(new T('text', '', 0), { content, level: open.level });
  list[close] = text(ref.close);
  list[index] = text('[');
}
