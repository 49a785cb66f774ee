/**
 * The Paged.js patches around footnotes (src/targets/pdf/pagedjs_patches/), on a book made to put note
 * calls on the last lines of pages: each part starts a page and runs a paragraph of a few more words
 * than the part before into a call, so that across the parts the call walks down over the foot of the
 * page. Half the parts have a longer note at the top of the page too (the call's note then has only a
 * line or two left). Read back from the PDF with poppler and checked against the book model.
 *
 * Without note-area-never-grows and note-with-its-call this book loses the text next to such a call,
 * the call with it (Paged.js 0.4.3 grows the note area after the page's text is laid out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, prepare } from '../src/build.js';
import type { Book } from '../src/model/types.js';
import { Logger } from '../src/util/log.js';
import { checkFidelity, type Fidelity } from './helpers/check_book.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-patches-'));
const dir = path.join(tmp, 'book');

const WORDS = 'the press ran all night in the cellar while we folded sheets of the bulletin and argued about the next issue of our small paper'.split(' ');

/** The book: parts with a call after `from`, `from + step`, … words (A5, one page per part start). */
function writeBook(): void {
  fs.mkdirSync(path.join(dir, 'manuscript'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'book.yaml'),
    'title: "Calls at the foot"\nauthor: "Test"\nlang: en\ndate: "2025-01-01"\npdf:\n  cover: false\n  chapterStart: page\n  frontMatter: false\n  parallel: off\n',
  );
  let seed = 7;
  const word = () => WORDS[(seed = (seed * 1103515245 + 12345) % 2147483648) % WORDS.length]!;
  // Sentences of nine words.
  const text = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const w = word();
      return i % 9 === 0 ? (i ? '. ' : '') + w[0]!.toUpperCase() + w.slice(1) : ' ' + w;
    }).join('');
  let k = 0;
  const part = (md: string) => fs.writeFileSync(path.join(dir, 'manuscript', `part-${String(++k).padStart(3, '0')}.md`), md);
  // The call alone on its page: its note finds no room below the last lines.
  for (let n = 320; n <= 390; n += 2) {
    part(`# Part ${k + 1}\n\n${text(n)} call here[^c${k}] and ${text(60)}.\n\n[^c${k}]: Note: ${text(40)}.\n`);
  }
  // A long note first: the call's note of three lines has one line of room (orphans and widows).
  for (let n = 200; n <= 250; n += 2) {
    part(`# Part ${k + 1}\n\n${text(20)} early[^e${k}] ${text(n)} call here[^c${k}] and ${text(60)}.\n\n[^e${k}]: Early: ${text(120)}.\n\n[^c${k}]: Note: ${text(40)}.\n`);
  }
  // A page of text without notes (the checker takes the text area from the lowest body line in the book).
  part(`# Plain\n\n${text(600)}.\n`);
}

async function buildWith(skip: string, out: string): Promise<string> {
  const saved = process.env['SAMIZDAT_PAGEDJS_SKIP'];
  process.env['SAMIZDAT_PAGEDJS_SKIP'] = skip;
  try {
    const r = await build(dir, { format: 'pdf', out: path.join(tmp, out), quiet: true, reproducible: true }, { log: new Logger(true) });
    return path.join(tmp, out, r.files.find((f) => f.endsWith('.pdf'))!);
  } finally {
    if (saved === undefined) delete process.env['SAMIZDAT_PAGEDJS_SKIP'];
    else process.env['SAMIZDAT_PAGEDJS_SKIP'] = saved;
  }
}

let book: Book;
const facts: Record<'patched' | 'noteLeaves' | 'unpatched', Fidelity> = {} as Record<'patched' | 'noteLeaves' | 'unpatched', Fidelity>;

beforeAll(async () => {
  writeBook();
  book = prepare(dir).book;
  facts.patched = checkFidelity(book, await buildWith('', 'patched'));
  facts.noteLeaves = checkFidelity(book, await buildWith('note-with-its-call', 'note-leaves'));
  facts.unpatched = checkFidelity(book, await buildWith('note-with-its-call,note-area-never-grows', 'unpatched'));
}, 180_000);

describe('footnote calls on the last lines of a page', () => {
  it('keep the text next to them: every body word once, in order', () => {
    expect(facts.patched.expectedWords).toBeGreaterThan(15_000);
    expect(facts.patched.bodyDiff).toBeUndefined();
  });

  it('keep every call, and every note with its call', () => {
    const f = facts.patched;
    expect(f.callProblems).toEqual([]);
    expect([...f.callPages.keys()]).toEqual(book.notes.map((n) => n.number));
    expect(f.markers).toEqual(book.notes.map((n) => n.number));
    expect(f.noteProblems).toEqual([]);
  });

  it('keep the text with note-area-never-grows alone, though then the note goes on without its call', () => {
    const f = facts.noteLeaves;
    expect(f.bodyDiff).toBeUndefined();
    expect(f.callProblems).toEqual([]);
    // The book does put calls where their notes do not fit: without note-with-its-call they part.
    expect(f.noteProblems.some((p) => /^note \d+ on page \d+, its call on \d+$/.test(p))).toBe(true);
  });

  it('lose the text next to them, the call with it, without the two patches (Paged.js 0.4.3)', () => {
    const f = facts.unpatched;
    expect(f.bodyDiff).toBeDefined();
    expect(f.bodyWords).toBeLessThan(f.expectedWords);
    expect(f.callProblems).not.toEqual([]);
  });
});
