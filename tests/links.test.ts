/**
 * Links between manuscript files and heading ids (issue 12, items 5 and 7), on a Jekyll-style book of
 * three files written for the web (tests/fixtures/books/links): numbered chapter headings, repeated
 * and emoji headings, links by file name with and without anchors, Pandoc's implicit header references,
 * two broken links, a code chapter with 200-character lines and a table wider than the page.
 * One real build (Chromium, EPUBCheck) serves the output checks; the id tables are computed by hand
 * from Pandoc's manual (auto_identifiers) and github-slugger's rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import JSZip from 'jszip';
import { DOMParser } from 'linkedom';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, prepare } from '../src/build.js';
import { createParser } from '../src/parse/markdown.js';
import type { ParseEnv } from '../src/parse/env.js';
import { BuildError, Diagnostics } from '../src/diagnostics.js';
import { IdRegistry } from '../src/util/slug.js';
import type { Section } from '../src/model/types.js';
import { Logger } from '../src/util/log.js';
import { copyBook, FIXTURES } from './helpers/book.js';
import { describeMessages, epubcheck } from './helpers/epubcheck.js';
import { pdfWords } from './helpers/pdf_pages.js';
import { pdfLinkAnnotations } from './helpers/pdf_links.js';

const SRC = path.join(FIXTURES, 'books', 'links');
const flat = (ss: Section[]): Section[] => ss.flatMap((s) => [s, ...flat(s.children)]);

/** The book's headings in order with their ids, for `ids` set to `style`. */
function idsWith(style: 'pandoc' | 'github'): [string, string][] {
  const dir = copyBook(SRC);
  const yaml = fs.readFileSync(path.join(dir, 'book.yaml'), 'utf8').replace(/^ids: .*$/m, `ids: ${style}`);
  fs.writeFileSync(path.join(dir, 'book.yaml'), yaml);
  return flat(prepare(dir).book.outline).map((s) => [s.title, s.id]);
}

/** Every link annotation of a PDF: its page, its named destination, the page that destination is on. */
async function pdfLinks(file: string): Promise<{ from: number; to: number; name: string }[]> {
  const doc = await PDFDocument.load(fs.readFileSync(file));
  return pdfLinkAnnotations(doc).map((l) => {
    expect(l.name, `a link on page ${l.from} without an internal destination`).toBeDefined();
    expect(l.to, l.name).toBeDefined();
    return { from: l.from, to: l.to!, name: l.name! };
  });
}

describe('heading ids', () => {
  it("follow Pandoc's auto_identifiers: the examples of Pandoc's manual", () => {
    const md = createParser('en');
    const ids = (src: string) => {
      const env: ParseEnv = { file: 'x.md', lines: src.split('\n'), diags: new Diagnostics(), ids: new IdRegistry() };
      return [...md.render(src, env).matchAll(/<h\d id="([^"]*)"/g)].map((m) => m[1]);
    };
    expect(ids('# Heading identifiers in HTML\n\n# Maître d\'hôtel\n\n# *Dogs*?--in *my* house?\n\n# [HTML], [S5], or [RTF]?\n\n# 3. Applications\n\n# 33\n'))
      .toEqual(['heading-identifiers-in-html', 'maître-dhôtel', 'dogs--in-my-house', 'html-s5-or-rtf', 'applications', 'section']);
    // Repeats get -1, -2 (the first free one).
    expect(ids('# Notes\n\n# Notes\n\n# Notes\n')).toEqual(['notes', 'notes-1', 'notes-2']);
  });

  it('are Pandoc\'s by default and GitHub\'s with ids: github, unique across files', () => {
    // By hand: Pandoc drops everything before the first letter and keeps . _ -; GitHub keeps digits,
    // drops punctuation and emoji, turns each space into a hyphen. The second file's "Summary" is
    // summary-1 in the book (the first file has one), and so is the second "Loops" in its own file.
    const titles = ['1. Introduction', '1.1 Why links break', '1.2 Straße & Café: the map() function', 'Summary', '2. Basics', 'Loops', '🎉 Party time', 'Loops', 'Summary', '3. Code 🚀', 'Long lines', 'Wide tables'];
    const pandoc = ['introduction', 'why-links-break', 'straße-café-the-map-function', 'summary', 'basics', 'loops', 'party-time', 'loops-1', 'summary-1', 'code', 'long-lines', 'wide-tables'];
    const github = ['1-introduction', '11-why-links-break', '12-straße--café-the-map-function', 'summary', '2-basics', 'loops', '-party-time', 'loops-1', 'summary-1', '3-code-', 'long-lines', 'wide-tables'];
    expect(idsWith('pandoc')).toEqual(titles.map((t, i) => [t, pandoc[i]]));
    expect(idsWith('github')).toEqual(titles.map((t, i) => [t, github[i]]));
  });

  it('rejects an unknown ids style', () => {
    const dir = copyBook(SRC);
    fs.writeFileSync(path.join(dir, 'book.yaml'), fs.readFileSync(path.join(dir, 'book.yaml'), 'utf8').replace(/^ids: .*$/m, 'ids: gitlab'));
    let messages: string[] = [];
    try {
      prepare(dir);
    } catch (e) {
      messages = (e as BuildError).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}: ${d.message}`);
    }
    expect(messages).toEqual(['book.yaml: ids must be pandoc or github, not "gitlab" (did you mean "github"?)']);
  });
});

describe('a multi-file book with links between its files', () => {
  let dist: string;
  let warnings: string[];
  let outline: Section[];
  beforeAll(async () => {
    const dir = copyBook(SRC);
    dist = path.join(dir, 'dist');
    const r = await build(dir, { out: dist, quiet: true, reproducible: true }, { log: new Logger(true) });
    warnings = r.diags.warnings.map((d) => `${d.file}:${d.line}: ${d.message}`);
    outline = r.book.outline;
  }, 240_000);

  it('warns with file and line about each link that resolves nowhere, and only those', () => {
    const broken = warnings.filter((w) => w.includes('link to'));
    const lines = fs.readFileSync(path.join(SRC, 'manuscript', '01-introduction.md'), 'utf8').split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(broken).toEqual([
      `manuscript/01-introduction.md:${lineOf('(04-nowhere.md)')}: link to "04-nowhere.md": no manuscript file manuscript/04-nowhere.md in the book`,
      `manuscript/01-introduction.md:${lineOf('(02-basics.md#no-such-heading)')}: link to "02-basics.md#no-such-heading": no heading or element with id "no-such-heading" in manuscript/02-basics.md`,
      `manuscript/01-introduction.md:${lineOf('(LICENSE)')}: link to "LICENSE": LICENSE is not a page of the book (only manuscript files and their headings can be linked in every edition); its words are printed without a link`,
    ]);
    // The Jekyll keys nobody reads are named once each; permalink is read (links by web address).
    expect(warnings.filter((w) => w.includes('front matter key')).map((w) => /"([^"]+)"/.exec(w)?.[1])).toEqual(['layout', 'last_modified_at']);
  });

  it('EPUB: EPUBCheck finds nothing, and every href points at an existing document and id', async () => {
    const file = path.join(dist, 'links-that-work.epub');
    const check = epubcheck(file);
    expect(describeMessages([...check.errors, ...check.warnings])).toEqual([]);
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    const docs = new Map<string, Document>();
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xhtml'))) {
      docs.set(path.posix.basename(name), new DOMParser().parseFromString(await zip.file(name)!.async('string'), 'text/html') as unknown as Document);
    }
    const hrefs: { from: string; href: string; text: string }[] = [];
    for (const [name, doc] of docs) {
      for (const a of Array.from(doc.querySelectorAll('a[href]'))) hrefs.push({ from: name, href: a.getAttribute('href')!, text: a.textContent ?? '' });
    }
    const internal = hrefs.filter((h) => !/^[a-z]+:/.test(h.href));
    expect(internal.length).toBeGreaterThan(20);
    for (const h of internal) {
      const [file, id] = h.href.split('#') as [string, string | undefined];
      const doc = docs.get(file || h.from);
      expect(doc, `${h.from}: ${h.href}`).toBeDefined();
      if (id) expect(doc!.getElementById(decodeURIComponent(id)), `${h.from}: ${h.href}`).not.toBeNull();
    }
    // The links of the manuscript, each to the document holding its heading (one chapter per document).
    const docOf = (text: string) => [...docs].find(([, d]) => Array.from(d.querySelectorAll('h1')).some((h) => h.textContent?.startsWith(text)))![0];
    const link = (text: string) => internal.find((h) => h.text === text)?.href;
    expect(link('the loops')).toBe(`${docOf('2. Basics')}#loops`);
    expect(link('chapter two')).toBe(`${docOf('2. Basics')}#2-basics`);
    expect(link('long lines')).toBe(`${docOf('3. Code')}#long-lines`);
    // By permalink: /chapter-2.html is 02-basics.md, ../code/ is 03-code.md (no heading: its start).
    expect(link('the basics page')).toBe(`${docOf('2. Basics')}#loops`);
    expect(link('the code page')).toBe(`${docOf('3. Code')}#3-code-`);
    expect(link('1.1 Why links break')).toBe('#11-why-links-break');
    expect(link('the wide table')).toBe(`${docOf('3. Code')}#wide-tables`);
    expect(link('why links break')).toBe(`${docOf('1. Introduction')}#11-why-links-break`);
    expect(link('the start of the book')).toBe(`${docOf('1. Introduction')}#1-introduction`);
    expect(link('second loops')).toBe('#loops-1');
    expect(link('the first chapter’s summary')).toBe(`${docOf('1. Introduction')}#summary`);
    expect(link('this one')).toBe('#summary-1');
    // A link to a missing file, or to a file that is not a page, keeps its text and loses its
    // destination; one to a missing anchor in a file of the book goes to that file. [sic] names no
    // heading and stays as written.
    const intro = docs.get(docOf('1. Introduction'))!;
    expect(Array.from(intro.querySelectorAll('a.broken-link')).map((a) => a.textContent)).toEqual(['a chapter that was never written', 'the licence']);
    expect(link('an anchor that does not exist')).toBe(`${docOf('2. Basics')}#2-basics`);
    expect(intro.body.textContent).toContain('[sic]');
  });

  it('web edition: every in-page link has its target', () => {
    const html = fs.readFileSync(path.join(dist, 'links-that-work.html'), 'utf8');
    const doc = new DOMParser().parseFromString(html, 'text/html') as unknown as Document;
    const anchors = Array.from(doc.querySelectorAll('a[href^="#"]'));
    expect(anchors.length).toBeGreaterThan(20);
    for (const a of anchors) expect(doc.getElementById(a.getAttribute('href')!.slice(1)), a.getAttribute('href')!).not.toBeNull();
    expect(doc.querySelector('main a[href="#loops"]')?.textContent).toBe('the loops');
  });

  describe('PDF', () => {
    let file: string;
    let texts: string[];
    beforeAll(() => {
      file = path.join(dist, 'links-that-work.pdf');
      texts = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f');
    });
    /** The first page matching `re` after the contents (1-based). */
    const pageOf = (re: RegExp) => {
      const toc = texts.findIndex((t) => /^\s*Contents\s*$/m.test(t));
      return texts.findIndex((t, i) => i > toc && re.test(t)) + 1;
    };

    it('prints the numbered chapters, with the page numbers of the contents right', () => {
      const toc = texts.find((t) => /^\s*Contents\s*$/m.test(t))!;
      for (const s of flat(outline).filter((x) => x.level <= 2)) {
        // The emoji is in the text layer where a font draws it, not where none does.
        const shown = s.title.replace(/\s*\p{Extended_Pictographic}/gu, '');
        const pattern = s.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s*\p{Extended_Pictographic}\uFE0F?/gu, '(?:\\s*\\p{Extended_Pictographic}\\uFE0F?)?');
        const m = new RegExp(`${pattern}\\s+(\\d+)\\s*$`, 'mu').exec(toc);
        expect(m, s.title).not.toBeNull();
        const page = Number(m![1]);
        // No covers: the title page is PDF page 1, folio 1.
        expect(texts[page - 1], s.title).toContain(shown);
      }
    });

    it('turns links between files into internal links whose destinations exist', async () => {
      const links = await pdfLinks(file);
      const intro = pageOf(/^1\. Introduction$/m);
      const basics = pageOf(/^2\. Basics$/m);
      const code = pageOf(/^3\. Code/m);
      const fromIntro = links.filter((l) => l.from === intro);
      expect(fromIntro.find((l) => l.name === 'loops')?.to).toBe(basics);
      expect(fromIntro.find((l) => l.name === '2-basics')?.to).toBe(basics);
      expect(fromIntro.find((l) => l.name === 'long-lines')?.to).toBe(code);
      expect(fromIntro.find((l) => l.name === '11-why-links-break')?.to).toBe(intro);
      expect(links.filter((l) => l.from === basics).map((l) => l.name)).toEqual(expect.arrayContaining(['11-why-links-break', '1-introduction', 'loops', 'loops-1', 'summary', 'summary-1']));
    });

    it('keeps every link and its destination when laid out in parallel chunks (one per chapter)', async () => {
      const dir = copyBook(SRC);
      const saved = { p: process.env['SAMIZDAT_PDF_PARALLEL'], c: process.env['SAMIZDAT_PDF_CHUNK_PAGES'] };
      process.env['SAMIZDAT_PDF_PARALLEL'] = 'on';
      process.env['SAMIZDAT_PDF_CHUNK_PAGES'] = '1';
      try {
        await build(dir, { format: 'pdf', out: path.join(dir, 'dist'), quiet: true, reproducible: true }, { log: new Logger(true) });
      } finally {
        for (const [k, v] of [['SAMIZDAT_PDF_PARALLEL', saved.p], ['SAMIZDAT_PDF_CHUNK_PAGES', saved.c]] as const) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
      const key = (l: { from: number; to: number; name: string }) => `${l.from} ${l.name} → ${l.to}`;
      const single = (await pdfLinks(file)).map(key).sort();
      const parallel = (await pdfLinks(path.join(dir, 'dist', 'links-that-work.pdf'))).map(key).sort();
      expect(parallel.length).toBeGreaterThan(20);
      expect(parallel).toEqual(single);
    }, 240_000);

    it('wraps code lines and fits the wide table: every word inside the text block, no character lost', () => {
      // A5 by hand: 148 mm wide, inside margin 12 % (17.76 mm), outside 10 % (14.8 mm); odd pages are
      // right-hand pages (inside margin on the left).
      const pt = (mm: number) => (mm * 72) / 25.4;
      const first = pageOf(/^3\. Code/m);
      const last = texts.length - 1;
      for (let page = first; page <= last; page++) {
        const [left, right] = page % 2 === 1 ? [pt(17.76), pt(148 - 14.8)] : [pt(14.8), pt(148 - 17.76)];
        for (const w of pdfWords(file, page)) {
          expect(w.xMin, `page ${page}: ${w.text}`).toBeGreaterThanOrEqual(left - 1);
          expect(w.xMax, `page ${page}: ${w.text}`).toBeLessThanOrEqual(right + 1);
        }
      }
      const printed = texts.slice(first - 1).join('').replace(/\s+/g, '');
      const source = fs.readFileSync(path.join(SRC, 'manuscript', '03-code.md'), 'utf8');
      const longLines = source.split('\n').filter((l) => l.length >= 150 && !l.startsWith('|'));
      expect(longLines.length).toBe(4);
      for (const l of longLines) expect(printed).toContain(l.replace(/\s+/g, ''));
    });
  });
});
