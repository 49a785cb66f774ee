/**
 * Every script, from fonts that ship with samizdat: Kazakh, Chinese and Japanese (with Latin and code
 * mixed in), Arabic and Hebrew (right to left, with numbers and Latin words) and emoji in headings,
 * each a small book of its own (tests/fixtures/scripts). Real builds in Chromium, EPUBCheck, and the
 * PDFs read back with poppler: the words in the text layer, the fonts embedded for each script (code in
 * Noto Sans Mono, Kazakh code too), glyphs that are glyphs and not boxes, the right-hand binding of
 * right-to-left books.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import JSZip from 'jszip';
import { PDFDocument, PDFName } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from './helpers/book.js';
import { describeMessages, epubcheckAsync, type EpubCheckResult } from './helpers/epubcheck.js';
import { pdfWords, type Word } from './helpers/pdf_pages.js';
import { prepare } from '../src/build.js';
import { bookTexts } from '../src/assets/glyphs.js';
import { codeFamilies, planStack, stackFamilies } from '../src/assets/fonts.js';
import { labelsFor } from '../src/i18n/labels.js';
import { geometry, parsePageSize } from '../src/targets/pdf/page_size.js';
import { bookletSides } from '../src/print/impose_booklet.js';
import { imposeMiniZine, ZINE_LAYOUT } from '../src/print/impose_minizine.js';
import { makeTestPdf, tempPdf } from './helpers/pdf_pages.js';
import type { Book } from '../src/model/types.js';
import { NAV_FILE } from '../src/targets/epub/nav.js';

const DIR = path.join(FIXTURES, 'scripts');
const MM = 72 / 25.4;

interface Expect {
  /** pdffonts names (subset prefix off) that must be there, one per script of the book. */
  fonts: RegExp[];
  rtl: boolean;
}

const BOOKS: Record<string, Expect> = {
  arabic: { fonts: [/^NotoNaskhArabic-Regular$/, /^SourceSerif4-Regular$/, /^NotoSansMono-Regular$/], rtl: true },
  hebrew: { fonts: [/^NotoSerifHebrew-Regular$/, /^SourceSerif4-Regular$/], rtl: true },
  kazakh: { fonts: [/^SourceSerif4-Regular$/, /^NotoSansMono-Regular$/], rtl: false },
  chinese: { fonts: [/^NotoSerifSC/, /^SourceSerif4-Regular$/, /^NotoSansMono-Regular$/], rtl: false },
  japanese: { fonts: [/^NotoSerifJP/, /^SourceSerif4-Regular$/, /^NotoSansMono-Regular$/], rtl: false },
  emoji: { fonts: [/^NotoEmoji-Regular$/, /^SourceSerif4-Regular$/], rtl: false },
};

/** The faces samizdat ships (code in Noto Sans Mono); any other came from the machine. */
const SHIPPED = /^(SourceSerif4|NotoSerif|NotoNaskhArabic|NotoEmoji|NotoSansMono)/;

interface Built {
  book: Book;
  stderr: string;
  code: number;
  pdf: string;
  epub: string;
  html: string;
  booklet?: string;
  check: EpubCheckResult;
  zip: JSZip;
}

const built: Record<string, Built> = {};

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });

beforeAll(async () => {
  // One book after the other; EPUBCheck of each runs while the next one is built.
  const checks: Promise<void>[] = [];
  for (const name of Object.keys(BOOKS)) {
    const src = path.join(DIR, name);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `samizdat-scripts-${name}-`));
    const r = await runCli(['build', src, '--out', out, '--quiet']);
    const { book } = prepare(src);
    const file = (suffix: string) => path.join(out, `${book.meta.slug}${suffix}`);
    const epub = file('.epub');
    built[name] = {
      book,
      stderr: r.stderr,
      code: r.code,
      pdf: file('.pdf'),
      epub,
      html: file('.html'),
      booklet: fs.existsSync(file('-booklet.pdf')) ? file('-booklet.pdf') : undefined,
      check: { errors: [], warnings: [], messages: [] } as unknown as EpubCheckResult,
      zip: r.code === 0 ? await JSZip.loadAsync(fs.readFileSync(epub)) : new JSZip(),
    };
    if (r.code === 0) checks.push(epubcheckAsync(epub).then((c) => void (built[name]!.check = c)));
  }
  await Promise.all(checks);
}, 300_000);

/** Fonts of the PDF as pdffonts lists them: name without the subset tag, and type. */
function pdfFonts(file: string): { name: string; type: string }[] {
  return run('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => {
      const [name = '', ...rest] = l.split(/\s+/);
      return { name: name.replace(/^[A-Z]{6}\+/, ''), type: rest.slice(0, 2).join(' ') };
    });
}

/** The PDF's text inside the text block of every page (running heads and folios left out). */
function textBlock(book: Book, file: string): string {
  const size = parsePageSize('A6');
  const g = geometry(size);
  const y = Math.floor(g.top * MM) - 1;
  const h = Math.ceil((size.heightMm - g.top - g.bottom) * MM) + 2;
  return run('pdftotext', ['-x', '0', '-y', String(y), '-W', String(Math.ceil(size.widthMm * MM)), '-H', String(h), file, '-']);
}

/** Letters and digits only: what a word is made of, whatever the line breaks and punctuation. */
const letters = (s: string) => s.replace(/[\u00ad\u202a-\u202e\u200e\u200f]/g, '').replace(/[^\p{L}\p{N}\p{M}]/gu, '');

/** The manuscript's words (chapters and notes), each as its letters. */
function manuscriptWords(book: Book): string[] {
  const own = new Set(book.sources);
  return bookTexts(book)
    .filter((t) => own.has(t.file) && t.line > 1)
    // Markup that prints nothing of its own: attribute blocks and note calls.
    .flatMap((t) => t.text.replace(/\{[^}]*\}|\[\^[^\]]*\]/g, ' ').split(/\s+/))
    .map(letters)
    .filter(Boolean);
}

/** The same letters, in any order (poppler reads Arabic words in pieces). */
const sameLetters = (a: string, b: string) => [...letters(a)].sort().join('') === [...letters(b)].sort().join('');

const isRtlLetter = (ch: string) => /[\p{Script=Arabic}\p{Script=Hebrew}]/u.test(ch);

describe('books in every script', () => {
  it.each(Object.keys(BOOKS))('%s: builds without a warning, and EPUBCheck finds nothing', (name) => {
    const b = built[name]!;
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).not.toMatch(/warning|error/);
    expect(describeMessages([...b.check.errors, ...b.check.warnings])).toEqual([]);
  });

  it.each(Object.keys(BOOKS))('%s: every word of the manuscript is in the PDF text layer', (name) => {
    const b = built[name]!;
    const layer = letters(textBlock(b.book, b.pdf));
    const words = manuscriptWords(b.book);
    expect(words.length).toBeGreaterThan(15);
    if (name !== 'arabic') {
      expect(words.filter((w) => !layer.includes(w))).toEqual([]);
      return;
    }
    // poppler reads Chromium's Arabic runs in pieces and out of order within a word: the Latin words
    // and numbers must be whole, and every Arabic letter of the manuscript must be there as often.
    const latin = words.filter((w) => ![...w].some(isRtlLetter));
    expect(latin).toEqual(expect.arrayContaining(['Risograph', 'Marseille', '1987', 'Gestetner', 'Paris', 'Berlin', '2003']));
    expect(latin.filter((w) => !layer.includes(w))).toEqual([]);
    const count = (s: string) => {
      const m = new Map<string, number>();
      for (const ch of s) if (isRtlLetter(ch) && /\p{L}/u.test(ch)) m.set(ch, (m.get(ch) ?? 0) + 1);
      return m;
    };
    const want = count(words.join(''));
    const got = count(layer.normalize('NFKC'));
    const short = [...want].filter(([ch, n]) => (got.get(ch) ?? 0) < n).map(([ch, n]) => `${ch}: ${got.get(ch) ?? 0} of ${n}`);
    expect(short).toEqual([]);
  });

  it.each(Object.keys(BOOKS))('%s: each script is set in a shipped face, embedded and subset', (name) => {
    const fonts = pdfFonts(built[name]!.pdf);
    const names = fonts.map((f) => f.name);
    for (const want of BOOKS[name]!.fonts) expect(names.some((n) => want.test(n)), `${want} in ${names.join(', ')}`).toBe(true);
    // Nothing from the machine (no DejaVu Sans Mono for code): every face is one of ours.
    expect(fonts.filter((f) => !SHIPPED.test(f.name))).toEqual([]);
    const rows = run('pdffonts', [built[name]!.pdf]).split('\n').slice(2).filter(Boolean);
    for (const r of rows) expect(r).toMatch(/\byes\s+yes\s+yes\b/); // embedded, subset, with ToUnicode
  });

  it('sets Kazakh letters (қ ң ә ө ұ ү һ) in Source Serif 4, and Kazakh code in Noto Sans Mono', () => {
    const b = built['kazakh']!;
    const fonts = pdfFonts(b.pdf);
    expect(fonts.every((f) => /^(SourceSerif4|NotoSansMono)-/.test(f.name)), fonts.map((f) => f.name).join(', ')).toBe(true);
    const layer = textBlock(b.book, b.pdf);
    for (const ch of 'қңәөұүһ') expect(layer, ch).toContain(ch);
    // The code's Kazakh words (the glyph check said nothing: first test), and the code block's lines as written.
    const code = bookTexts(b.book).filter((t) => t.code);
    const words = code.flatMap((t) => t.text.split(/\s+/)).filter((w) => /\p{Script=Cyrillic}/u.test(w));
    expect(words.length).toBeGreaterThanOrEqual(5);
    for (const w of words) expect(layer, w).toContain(w);
    const blockLines = code.filter((t) => t.text.includes('\n')).flatMap((t) => t.text.split('\n')).filter((l) => /\p{Script=Cyrillic}/u.test(l));
    expect(blockLines.length).toBeGreaterThan(0);
    const lines = layer.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    for (const l of blockLines) expect(lines, l).toContain(l.replace(/\s+/g, ' ').trim());
  });

  it.each([
    ['kazakh', ['cyrillic-ext', 'cyrillic', 'latin']],
    ['chinese', ['latin']],
    ['arabic', ['latin']],
  ])('%s: the EPUB (epub.fonts) carries Noto Sans Mono, only the subsets its code uses, and sets code in it', async (name, subsets) => {
    const b = built[name]!;
    const files = Object.keys(b.zip.files).map((f) => path.posix.basename(f));
    const mono = files.filter((f) => f.startsWith('noto-sans-mono-')).sort();
    expect(mono).toEqual(subsets.flatMap((s) => [`noto-sans-mono-${s}-400-normal.woff2`, `noto-sans-mono-${s}-700-normal.woff2`]).sort());
    const cssName = Object.keys(b.zip.files).find((f) => f.endsWith('.css') && !f.includes('cover'))!;
    const css = await b.zip.file(cssName)!.async('string');
    expect(css).toMatch(/code, pre, kbd, samp \{ font-family: "Noto Sans Mono", "Source Serif 4", [^}]*monospace; \}/);
  });

  it.each(['chinese', 'japanese', 'arabic', 'hebrew'])('%s: the glyphs are glyphs, not boxes', (name) => {
    const b = built[name]!;
    // Boxes (.notdef) look alike: different characters (CJK, each in a square cell of its word) or
    // different words of as many letters (Arabic, Hebrew) drawn as boxes give the same picture.
    const texts = run('pdftotext', [b.pdf, '-']).split('\f');
    const first = texts.findIndex((t) => sameLetters((t.split('\n').find((l) => l.trim()) ?? ''), b.book.chapters[0]!.title)) + 1;
    expect(first).toBeGreaterThan(0);
    const cjk = name === 'chinese' || name === 'japanese';
    const script = cjk ? /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]+$/u : /^[\p{Script=Arabic}\p{Script=Hebrew}]+$/u;
    const pieces: { text: string; sig: number[] }[] = [];
    for (let page = first; page < Math.min(first + 3, texts.length); page++) {
      const img = gray(b.pdf, page, 150);
      for (const w of pdfWords(b.pdf, page).filter((x) => script.test(x.text))) {
        const chars = [...w.text];
        if (!cjk) pieces.push({ text: w.text, sig: signature(img, w, 150 / 72) });
        else {
          const cell = (w.xMax - w.xMin) / chars.length;
          chars.forEach((c, i) => pieces.push({ text: c, sig: signature(img, { ...w, xMin: w.xMin + i * cell, xMax: w.xMin + (i + 1) * cell }, 150 / 72) }));
        }
      }
    }
    let pairs = 0;
    let different = 0;
    for (let i = 0; i < pieces.length; i++) {
      for (let j = i + 1; j < pieces.length && pairs < 5000; j++) {
        const [p, q] = [pieces[i]!, pieces[j]!];
        if (p.text === q.text || [...p.text].length !== [...q.text].length) continue;
        pairs++;
        if (distance(p.sig, q.sig) > 0.03) different++;
      }
    }
    expect(pairs).toBeGreaterThan(20);
    expect(different / pairs).toBeGreaterThan(0.9);
    // And they carry ink: a glyph drawn as nothing would be blank.
    expect(pieces.every((p) => p.sig.reduce((a, v) => a + v, 0) > 0.3)).toBe(true);
  });

  it('writes the contents title in the book language in the PDF and the EPUB', async () => {
    for (const [name, b] of Object.entries(built)) {
      const title = labelsFor(b.book.meta.lang).contents;
      if (name !== 'emoji') expect(title, name).not.toBe('Contents');
      const pages = run('pdftotext', [b.pdf, '-']).split('\f');
      expect(pages.some((p) => p.split('\n').some((l) => sameLetters(l, title))), name).toBe(true);
      const navName = Object.keys(b.zip.files).find((f) => f.endsWith(NAV_FILE))!;
      expect(await b.zip.file(navName)!.async('string')).toContain(`<h1 id="toc-title">${title}</h1>`);
    }
  });
});

describe('right-to-left books', () => {
  const xhtmlOf = async (b: Built) =>
    Promise.all(Object.keys(b.zip.files).filter((f) => f.endsWith('.xhtml')).map(async (f) => [f, await b.zip.file(f)!.async('string')] as const));

  it.each(Object.keys(BOOKS))('%s: dir on every document and the spine direction', async (name) => {
    const b = built[name]!;
    const rtl = BOOKS[name]!.rtl;
    expect(b.book.meta.dir).toBe(rtl ? 'rtl' : 'ltr');
    const opfName = Object.keys(b.zip.files).find((f) => f.endsWith('.opf'))!;
    const spine = /<spine[^>]*>/.exec(await b.zip.file(opfName)!.async('string'))![0];
    expect(spine.includes('page-progression-direction="rtl"')).toBe(rtl);
    const docs = await xhtmlOf(b);
    expect(docs.length).toBeGreaterThan(3);
    for (const [f, x] of docs) expect(/<html[^>]* dir="rtl"/.test(x), f).toBe(rtl);
    expect(/<html[^>]* dir="rtl"/.test(fs.readFileSync(b.html, 'utf8'))).toBe(rtl);
    // A passage marked as a left-to-right language is an isolated left-to-right run.
    if (name === 'arabic') expect(docs.some(([, x]) => x.includes('<span lang="fr" xml:lang="fr" dir="ltr">Le Monde diplomatique</span>'))).toBe(true);
    const doc = await PDFDocument.load(fs.readFileSync(b.pdf), { updateMetadata: false });
    const prefs = doc.catalog.getViewerPreferences();
    expect(prefs?.getReadingDirection() === 'R2L').toBe(rtl);
    void PDFName;
  });

  it.each(['arabic', 'hebrew'])('%s: bound on the right: inside margins, folios and heads mirrored, chapters on the left-hand page', (name) => {
    const b = built[name]!;
    const size = parsePageSize('A6');
    const g = geometry(size);
    const W = size.widthMm * MM;
    const H = size.heightMm * MM;
    const texts = run('pdftotext', [b.pdf, '-']).split('\f');
    const chapterPages = b.book.chapters.map((ch) => texts.findIndex((t) => sameLetters((t.split('\n').find((l) => l.trim()) ?? ''), ch.title)) + 1);
    // Chapters open on rectos: odd pages, the left-hand pages of a book bound on the right.
    for (const p of chapterPages) expect(p % 2).toBe(1);
    let checked = 0;
    for (let page = chapterPages[0]!; page <= texts.length - 1; page++) {
      const words = pdfWords(b.pdf, page);
      const folio = words.find((w) => w.text === String(page) && w.yMin > H - g.bottom * MM);
      if (!folio) continue;
      const body = words.filter((w) => w.yMin > g.top * MM && w.yMax < H - g.bottom * MM);
      const left = Math.min(...body.map((w) => w.xMin));
      const right = W - Math.max(...body.map((w) => w.xMax));
      const recto = page % 2 === 1;
      // Recto: the binding, and so the wider inside margin, on the right; the folio outside, left.
      const [wantLeft, wantRight] = recto ? [g.outside, g.inside] : [g.inside, g.outside];
      expect(left, `page ${page} left margin`).toBeGreaterThan(wantLeft * MM - 1.5);
      expect(right, `page ${page} right margin`).toBeGreaterThan(wantRight * MM - 1.5);
      expect(Math.min(Math.abs(left - wantLeft * MM), Math.abs(right - wantRight * MM)), `page ${page}`).toBeLessThan(1.5);
      if (recto) expect(folio.xMax, `folio of page ${page}`).toBeLessThan(W / 2);
      else expect(folio.xMin, `folio of page ${page}`).toBeGreaterThan(W / 2);
      // The running head (book title on versos) sits on the outside too.
      const head = words.filter((w) => w.yMax < g.top * MM);
      if (!recto) {
        expect(head.length, `head of page ${page}`).toBeGreaterThan(0);
        expect(Math.min(...head.map((w) => w.xMin))).toBeGreaterThan(W / 2);
      }
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('imposes the booklet of a right-to-left book mirrored: page 1 on the left of the first sheet', () => {
    const b = built['arabic']!;
    expect(b.booklet).toBeDefined();
    const sheetWidth = Number(/Page size:\s+([\d.]+)/.exec(run('pdfinfo', [b.booklet!]))![1]);
    const title = b.book.meta.title.split(' ')[0]!;
    const onFront = pdfWords(b.booklet!, 1).filter((w) => letters(w.text).length > 0 && letters(title).includes(letters(w.text)));
    expect(onFront.length).toBeGreaterThan(0);
    for (const w of onFront) expect(w.xMax).toBeLessThan(sheetWidth / 2);
    // 8 pages, left | right: fronts [1|8] [3|6], backs [7|2] [5|4] (the left-to-right order mirrored).
    const sides = bookletSides([0, 1, 2, 3, 4, 5, 6, 7], undefined, true).map((s) => [s.left! + 1, s.right! + 1]);
    expect(sides).toEqual([[1, 8], [7, 2], [3, 6], [5, 4]]);
    expect(bookletSides([0, 1, 2, 3, 4, 5, 6, 7]).map((s) => [s.left! + 1, s.right! + 1])).toEqual([[8, 1], [2, 7], [6, 3], [4, 5]]);
  });
});

describe('mini-zine of a right-to-left book', () => {
  it('is the mirror image of the left-to-right one: each row of panels reversed', async () => {
    const page = { width: 74 * MM, height: 105 * MM };
    const panels = async (rtl: boolean) => {
      const file = tempPdf((await imposeMiniZine(await makeTestPdf({ pages: 8, ...page }), { rtl })).pdf);
      const [, W, H] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(run('pdfinfo', [file]))!.map(Number) as [number, number, number];
      // Each page's number ("PAGE n", upside down in the top row) is inside its panel.
      const words = pdfWords(file, 1).filter((w) => /^\d$/.test(w.text));
      const row = (top: boolean) =>
        words
          .filter((w) => (w.yMin < H / 2) === top)
          .sort((a, b) => a.xMin - b.xMin)
          .map((w) => ({ page: Number(w.text), col: Math.floor(w.xMin / (W / 4)) }));
      return { top: row(true), bottom: row(false) };
    };
    const ltr = await panels(false);
    const rtl = await panels(true);
    expect(ltr.top.map((p) => p.page)).toEqual(ZINE_LAYOUT.top);
    expect(ltr.bottom.map((p) => p.page)).toEqual(ZINE_LAYOUT.bottom);
    expect(rtl.top.map((p) => p.page)).toEqual([...ZINE_LAYOUT.top].reverse());
    expect(rtl.bottom.map((p) => p.page)).toEqual([...ZINE_LAYOUT.bottom].reverse());
    // Page 1, the front cover, is on the left in the bottom row: the outside spread reads 1 | 8.
    expect(rtl.bottom.map((p) => p.col)).toEqual([0, 1, 2, 3]);
  });
});

describe('glyph coverage', () => {
  it('warns at file:line of a character no font of the book has, before any layout', async () => {
    const dir = path.join(DIR, 'missing');
    const file = 'manuscript/01-signs.md';
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    const lineOf = (ch: string) => lines.findIndex((l) => l.includes(ch)) + 1;
    const r = await runCli(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${file}:${lineOf('\u{10000}')}: warning: no font of the book has the character "\u{10000}" U+10000 (Linear B script) (and 1 more time)`);
    expect(r.stderr).toContain(`${file}:${lineOf('\u{E000}')}: warning: no font of the book has the character "\u{E000}" U+E000 (private use)`);
    // In code too (the monospaced face, then the text stack): an inline code span on its paragraph's
    // second line, a code block's second line.
    expect(r.stderr).toContain(`${file}:${lineOf('\u{10001}')}: warning: no font of the book has the character "\u{10001}" U+10001 (Linear B script)`);
    expect(r.stderr).toContain(`${file}:${lineOf('\u{E001}')}: warning: no font of the book has the character "\u{E001}" U+E001 (private use)`);
    expect(r.stderr.match(/missing-glyph/g)).toHaveLength(4);
  });

  it('plans code in Noto Sans Mono, with the text stack for what it lacks, loading only the subsets code uses', () => {
    // Latin prose; code with Cyrillic (Noto Sans Mono has it) and a Han character (it has not).
    const stack = planStack('en', 'Plain text.', 'print("привет 中")');
    const plan = Object.fromEntries(stack.families.map((p) => [p.family.name, p.subsets.map((s) => s.name)]));
    expect(plan['Source Serif 4']).toEqual(['latin']);
    expect(plan['Noto Sans Mono']).toEqual(['cyrillic', 'latin']);
    expect(Object.keys(plan)).toEqual(['Source Serif 4', 'Noto Serif SC', 'Noto Sans Mono']);
    expect(stack.missing).toEqual([]);
    expect(codeFamilies(stack)).toBe('"Noto Sans Mono", "Source Serif 4", "Noto Serif SC", monospace');
    // The text stack does not name the face of code; a book without code has no Noto Sans Mono.
    expect(stackFamilies(stack)).toBe('"Source Serif 4", "Noto Serif SC", serif');
    expect(planStack('en', 'print("привет")').families.map((p) => p.family.name)).toEqual(['Source Serif 4']);
  });
});

/** A page rendered in gray at `dpi`: darkness 0..1 at (x, y) in pixels. */
function gray(pdf: string, page: number, dpi: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-glyphs-'));
  try {
    execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-singlefile', '-f', String(page), '-l', String(page), pdf, path.join(dir, 'p')]);
    const pgm = fs.readFileSync(path.join(dir, 'p.pgm'));
    const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    const [width, height, offset] = [Number(m[1]), Number(m[2]), m[0].length];
    return (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : 1 - pgm[offset + Math.floor(y) * width + Math.floor(x)]! / 255);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A word's picture, 16 × 6 cells of mean darkness over its box. */
function signature(dark: (x: number, y: number) => number, w: Word, scale: number): number[] {
  const cols = 16;
  const rows = 6;
  const out: number[] = [];
  const x0 = w.xMin * scale;
  const y0 = w.yMin * scale;
  const cw = ((w.xMax - w.xMin) * scale) / cols;
  const ch = ((w.yMax - w.yMin) * scale) / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      let n = 0;
      for (let y = y0 + r * ch; y < y0 + (r + 1) * ch; y++) {
        for (let x = x0 + c * cw; x < x0 + (c + 1) * cw; x++) {
          sum += dark(x, y);
          n++;
        }
      }
      out.push(n ? sum / n : 0);
    }
  }
  return out;
}

const distance = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
