/**
 * Splits the book into EPUB content documents (spine items) in manuscript order:
 *   split 1      one document per chapter (level-1 heading, or text before the first one)
 *   split 2      also a new document at every level-2 heading
 *   split 'file' one document per manuscript file
 * and indexes where every id, note call and note lives, so links across files resolve.
 */
import type { Token } from 'markdown-it';
import type { Book, Chapter } from '../../model/types.js';
import type { EpubOptions } from '../../config/options.js';

export interface EpubDoc {
  /** File name inside OEBPS (no folders: epub-gen-memory writes chapters at the top). */
  file: string;
  title: string;
  /** Level of the heading the document starts with (0: none). */
  level: number;
  tokens: Token[];
  /** The manuscript file its text comes from. */
  source: string;
}

export const docFileName = (index: number): string => `text-${String(index + 1).padStart(3, '0')}.xhtml`;

function headingTitle(tokens: Token[]): { title: string; level: number } {
  const open = tokens[0];
  if (open?.type !== 'heading_open') return { title: '', level: 0 };
  return { title: String(open.meta?.text ?? tokens[1]?.content ?? ''), level: Number(open.tag.slice(1)) };
}

function splitAtH2(ch: Chapter): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const t of ch.tokens) {
    const atTop = depth === 0;
    if (t.block) depth += t.nesting;
    if (t.type === 'heading_open' && t.tag === 'h2' && current.length > 0 && atTop) {
      parts.push(current);
      current = [];
    }
    current.push(t);
  }
  if (current.length) parts.push(current);
  return parts;
}

export function splitDocuments(book: Book, split: EpubOptions['split']): EpubDoc[] {
  let groups: { tokens: Token[]; source: string }[];
  if (split === 'file') {
    const byFile = new Map<string, Token[]>();
    for (const ch of book.chapters) {
      const list = byFile.get(ch.source.file) ?? [];
      list.push(...ch.tokens);
      byFile.set(ch.source.file, list);
    }
    groups = [...byFile].map(([source, tokens]) => ({ tokens, source }));
  } else if (split === 2) {
    groups = book.chapters.flatMap((ch) => splitAtH2(ch).map((tokens) => ({ tokens, source: ch.source.file })));
  } else {
    groups = book.chapters.map((ch) => ({ tokens: ch.tokens, source: ch.source.file }));
  }
  return groups
    .filter((g) => g.tokens.length > 0)
    .map(({ tokens, source }, i) => {
      const { title, level } = headingTitle(tokens);
      return { file: docFileName(i), title: title || book.meta.title, level, tokens, source };
    });
}

function* walk(tokens: Token[]): Generator<Token> {
  for (const t of tokens) {
    yield t;
    if (t.children) yield* walk(t.children);
  }
}

/** Where things are: the file of every id, of every note and of every note call. */
export interface DocIndex {
  fileOfId: Map<string, string>;
  /** Note number → file holding its <aside>. */
  fileOfNote: Map<number, string>;
  /** `${number}:${call}` → file holding that call. */
  fileOfCall: Map<string, string>;
  /** File → note numbers whose asides it holds, in order. */
  notesIn: Map<string, number[]>;
  /** Chapter id → the document its first part is in. */
  fileOfChapter: Map<string, string>;
}

export const callKey = (n: number, call: number): string => `${n}:${call}`;

export function indexDocuments(book: Book, docs: EpubDoc[], notesMode: EpubOptions['notes'], notesFile: string): DocIndex {
  const idx: DocIndex = { fileOfId: new Map(), fileOfNote: new Map(), fileOfCall: new Map(), notesIn: new Map(), fileOfChapter: new Map() };
  const chapterOf = new Map(book.chapters.map((ch) => [ch.tokens[0], ch.id]));
  for (const d of docs) {
    for (const t of d.tokens) {
      const ch = chapterOf.get(t);
      if (ch !== undefined && !idx.fileOfChapter.has(ch)) idx.fileOfChapter.set(ch, d.file);
    }
  }
  const scan = (tokens: Token[], file: string) => {
    for (const t of walk(tokens)) {
      const id = t.attrGet?.('id');
      if (id !== null && id !== undefined && !idx.fileOfId.has(String(id))) idx.fileOfId.set(String(id), file);
      if (t.type === 'footnote_ref' && t.meta?.number !== undefined) {
        const n = t.meta.number as number;
        idx.fileOfCall.set(callKey(n, t.meta.call as number), file);
        if (!idx.fileOfNote.has(n)) idx.fileOfNote.set(n, notesMode === 'book' ? notesFile : file);
      }
    }
  };
  for (const d of docs) scan(d.tokens, d.file);
  // Notes called only from inside other notes live beside the note that calls them.
  for (const note of book.notes) {
    if (!idx.fileOfNote.has(note.number)) idx.fileOfNote.set(note.number, notesMode === 'book' ? notesFile : docs[docs.length - 1]?.file ?? notesFile);
    scan(note.tokens, idx.fileOfNote.get(note.number)!);
  }
  for (const note of book.notes) {
    const file = idx.fileOfNote.get(note.number)!;
    idx.notesIn.set(file, [...(idx.notesIn.get(file) ?? []), note.number]);
  }
  return idx;
}
