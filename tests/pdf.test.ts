/**
 * The print-ready PDF, built with real Chromium and inspected with poppler-utils and pdf-lib.
 * One fixture book is built once (A5) and many facts are checked on it; a few small books check
 * the failure paths.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { pdfLinkAnnotations } from './helpers/pdf_links.js';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, type PDFObject } from 'pdf-lib';
import { build, type BuildResult } from '../src/build.js';
import { Logger } from '../src/util/log.js';
import { resolveRequest, PAGE_URL } from '../src/targets/pdf/server.js';
import { findChrome, launchChrome } from '../src/targets/pdf/chrome.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-pdf-test-'));
const quiet = () => new Logger(true);

function copyFixture(name: string): string {
  const dir = path.join(tmpRoot, name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
/** Text of every page, 0-based array index = page - 1. */
// Chromium keeps the soft hyphens in the text layer; the layout is what these tests look at.
const pageTexts = (pdf: string) => run('pdftotext', ['-layout', pdf, '-']).replace(/\u00ad/g, '').split('\f').slice(0, -1);
const pageOf = (texts: string[], needle: string | RegExp) =>
  texts.findIndex((t) => (typeof needle === 'string' ? t.includes(needle) : needle.test(t))) + 1;
const lines = (t: string) => t.split('\n').map((l) => l.trim()).filter(Boolean);
/**
 * pdf.cover is on by default: front cover and inside front cover come before the title page (PDF
 * page 3, folio 1), inside back cover and back cover after the text. Printed folios are PDF page − 2.
 */
const FRONT = 2;
const BACK = 2;

function pageSize(pdf: string): [number, number] {
  const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(run('pdfinfo', ['-box', pdf]));
  return [Number(m![1]), Number(m![2])];
}

/** Chromium processes started with one of our throw-away profiles. */
/** Chromium processes whose profile says this test process started them (even if orphaned since). */
function ourChromes(): Set<string> {
  const out = run('ps', ['-eo', 'pid=,args=']);
  const mark = `samizdat-chrome-${process.pid}-`;
  return new Set(out.split('\n').filter((l) => l.includes(mark)).map((l) => l.trim().split(/\s+/)[0]!));
}

describe('pdf target on the fixture book', () => {
  let result: BuildResult;
  let pdf: string;
  let texts: string[];
  let doc: PDFDocument;
  const chromesBefore = ourChromes();

  let exported: string;
  let bookDir: string;

  beforeAll(async () => {
    const dir = copyFixture('pdf-book');
    bookDir = dir;
    // The benchmark's export of the print HTML for pagedjs-cli (export_html.ts), checked below.
    exported = path.join(tmpRoot, 'print-html');
    process.env['SAMIZDAT_PRINT_HTML'] = exported;
    try {
      result = await build(dir, { format: 'pdf', out: path.join(dir, 'dist'), quiet: true, reproducible: true }, { log: quiet() });
    } finally {
      delete process.env['SAMIZDAT_PRINT_HTML'];
    }
    pdf = path.join(dir, 'dist', 'the-fixture-press-almanac.pdf');
    texts = pageTexts(pdf);
    doc = await PDFDocument.load(fs.readFileSync(pdf), { updateMetadata: false });
  }, 120_000);

  it('exports its print HTML for another Paged.js runner: print variants in images/, the book\'s own files in originals/', () => {
    const index = fs.readFileSync(path.join(exported, 'index.html'), 'utf8');
    const originals = fs.readFileSync(path.join(exported, 'originals.html'), 'utf8');
    const srcs = (html: string) => [...parseHTML(html).document.querySelectorAll('img')].map((i) => decodeURIComponent(i.getAttribute('src')!));
    const shown = srcs(index);
    const own = srcs(originals);
    // The fixture shows its pictures (wide.jpg twice, tall.png once) wherever the manuscript has one.
    const pictures = fs.readFileSync(path.join(FIXTURES, 'pdf-book/manuscript/01-book.md'), 'utf8').match(/!\[/g)!.length;
    expect(shown.length).toBe(pictures);
    expect(own.length).toBe(pictures);
    for (const src of shown) expect(src).toMatch(/^images\//);
    const bookFiles = ['wide.jpg', 'tall.png'].map((f) => fs.readFileSync(path.join(bookDir, 'images', f)));
    for (const src of own) {
      expect(src).toMatch(/^originals\//);
      const bytes = fs.readFileSync(path.join(exported, src));
      expect(bookFiles.some((b) => b.equals(bytes)), src).toBe(true);
    }
    // The same document otherwise: only the image addresses differ.
    const withoutImages = (html: string) => {
      const { document } = parseHTML(html);
      for (const i of document.querySelectorAll('img')) i.removeAttribute('src');
      return document.toString();
    };
    expect(withoutImages(originals)).toBe(withoutImages(index));
    // Variants are made for print: none is the book's own file.
    for (const src of shown) expect(bookFiles.some((b) => b.equals(fs.readFileSync(path.join(exported, src)))), src).toBe(false);
  });

  it('gives every embedded font subset a name of its own (the covers and the interior are printed apart)', () => {
    const rows = run('pdffonts', [pdf]).split('\n').slice(2).filter(Boolean);
    const names = rows.map((r) => r.split(/\s+/)[0]!);
    // Subsets of the three faces the fixture uses (regular, italic, bold), in the covers and the interior.
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const n of names) expect(n).toMatch(/^[A-Z]{6}\+/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('writes dist/<slug>.pdf with A5 pages', () => {
    expect(result.files).toContain('the-fixture-press-almanac.pdf');
    const [w, h] = pageSize(pdf);
    expect(Math.abs(w - (148 / 25.4) * 72)).toBeLessThan(1.5);
    expect(Math.abs(h - (210 / 25.4) * 72)).toBeLessThan(1.5);
    expect(texts.length).toBe(doc.getPageCount());
  });

  it('puts every footnote on the page of its call, printed once, numbered in order', () => {
    const calls = [...fs.readFileSync(path.join(FIXTURES, 'pdf-book/manuscript/01-book.md'), 'utf8').matchAll(/CALL([a-z])\.\[\^/g)].map((m) => m[1]!);
    expect(calls.length).toBeGreaterThanOrEqual(8);
    for (const k of calls) {
      const callPage = pageOf(texts, `CALL${k}`);
      expect(callPage, `call ${k}`).toBeGreaterThan(0);
      expect(pageOf(texts, `NOTE${k} `), `note ${k}`).toBe(callPage);
    }
    // the two paragraphs of one note stay together
    expect(pageOf(texts, 'NOTEc2')).toBe(pageOf(texts, 'NOTEc '));
    // a note called twice is printed once; the second call is a plain reference
    const all = texts.join('\n');
    expect(all.match(/NOTEa /g)).toHaveLength(1);
    expect(pageOf(texts, 'CALLa2')).toBeGreaterThan(pageOf(texts, 'CALLa.'));
    // markers are the book-wide numbers 1, 2, 3 … in order of first call (not a per-page counter)
    const markers = texts.flatMap((t) => [...t.matchAll(/^\s*(\d+)\.\s+NOTE([a-z])/gm)].map((m) => [Number(m[1]), m[2]] as const));
    expect(markers.map(([n]) => n)).toEqual(markers.map((_, i) => i + 1));
  });

  it('keeps every caption on the page of its image, images within the page', () => {
    const images = run('pdfimages', ['-list', pdf]).split('\n').slice(2).filter(Boolean).map((l) => Number(l.trim().split(/\s+/)[0]));
    const captions = ['CAPa', 'CAPb', 'CAPc'].map((c) => pageOf(texts, c));
    expect(images).toHaveLength(3);
    expect(images).toEqual(captions);
  });

  it('lists each section in the contents with the page its heading lands on', () => {
    const tocPage = pageOf(texts, /^\s*Contents\s*$/m);
    expect(tocPage).toBeGreaterThan(0);
    const entries = lines(texts[tocPage - 1]!)
      .map((l) => /^(.+?)[\s.…]+(\d+)$/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => ({ title: m[1]!.trim(), page: Number(m[2]) }));
    expect(entries.map((e) => e.title)).toEqual(['Alpha chapter', 'Alpha section one', 'Alpha section two', 'Beta chapter', 'Beta section', 'Gamma chapter']);
    for (const e of entries) {
      const landed = texts.findIndex((t, i) => i >= tocPage && lines(t).some((l) => l === e.title)) + 1;
      // The contents print folios; the heading is on PDF page folio + FRONT.
      expect(landed, e.title).toBe(e.page + FRONT);
    }
  });

  it('starts chapters on right-hand pages and leaves blank only the pages that achieve that', () => {
    const chapterTitles = result.book.outline.map((s) => s.title);
    for (const title of chapterTitles) {
      const p = texts.findIndex((t, i) => i > 3 + FRONT && lines(t).some((l) => l === title)) + 1;
      // Odd PDF page and odd folio alike: two cover pages keep the parity.
      expect(p % 2, `${title} on page ${p}`).toBe(1);
    }
    // The inside covers are blank and are not counted as blank text pages.
    expect(texts[FRONT - 1]!.trim()).toBe('');
    expect(texts[texts.length - BACK]!.trim()).toBe('');
    texts.forEach((t, i) => {
      if (t.trim() !== '' || i < FRONT || i >= texts.length - BACK) return;
      const next = lines(texts[i + 1] ?? '');
      expect((i + 1) % 2, `blank page ${i + 1} is a left page`).toBe(0);
      expect(chapterTitles.some((c) => next.includes(c)), `page after blank page ${i + 1} opens a chapter`).toBe(true);
    });
  });

  it('has no running head or folio on the title page, and heads on text pages', () => {
    const title = lines(texts[FRONT]!);
    expect(title.filter((l) => l === 'The Fixture Press Almanac')).toHaveLength(1);
    expect(title.some((l) => /^\d+$/.test(l))).toBe(false);
    // a left text page carries the book title and its folio; a right one the chapter title
    const left = texts.findIndex((t, i) => i > 4 + FRONT && i < texts.length - BACK && (i + 1) % 2 === 0 && t.trim() !== '');
    expect(lines(texts[left]!)[0]).toBe('The Fixture Press Almanac');
    expect(lines(texts[left]!).at(-1)).toBe(String(left + 1 - FRONT));
    // a right text page carries the title of the chapter it belongs to
    const openings = result.book.outline.map((c) => ({ title: c.title, page: texts.findIndex((t, i) => i > 3 + FRONT && lines(t).includes(c.title)) + 1 }));
    const rightPages = texts
      .map((t, i) => i + 1)
      .filter((p) => p % 2 === 1 && p > openings[0]!.page && p <= texts.length - BACK && texts[p - 1]!.trim() !== '' && !openings.some((o) => o.page === p));
    expect(rightPages.length).toBeGreaterThan(0);
    for (const p of rightPages) {
      const chapter = openings.filter((o) => o.page < p).at(-1)!;
      expect(lines(texts[p - 1]!)[0], `head of page ${p}`).toBe(chapter.title);
      expect(lines(texts[p - 1]!).at(-1), `folio of page ${p}`).toBe(String(p - FRONT));
    }
    // chapter openings carry no running head
    for (const o of openings) expect(lines(texts[o.page - 1]!)[0]).toBe(o.title);
  });

  it('embeds every font', () => {
    const rows = run('pdffonts', [pdf]).split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.includes('SourceSerif4'))).toBe(true);
    for (const r of rows) expect(r, r).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
  });

  it('hyphenates body text in the book language', () => {
    const broken = texts.slice(4 + FRONT, -BACK).flatMap(lines).filter((l) => /[a-z]-$/.test(l));
    expect(broken.length).toBeGreaterThan(0);
  });

  it('carries the metadata, language and reproducible dates', () => {
    const info = run('pdfinfo', [pdf]);
    expect(info).toMatch(/^Title:\s+The Fixture Press Almanac$/m);
    expect(info).toMatch(/^Author:\s+Ada Testwriter, Bo Checker$/m);
    expect(info).toMatch(/^Subject:\s+A small book that exercises footnotes/m);
    expect(info).toMatch(/^Keywords:\s+testing print paged media$/m);
    expect(info).toMatch(/^Creator:\s+samizdat$/m);
    expect(info).toMatch(/^Producer:\s+samizdat$/m);
    expect(doc.getCreationDate()?.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(doc.getModificationDate()?.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(doc.catalog.lookup(PDFName.of('Lang'))?.toString()).toBe('(en)');
  });

  it('has bookmarks mirroring the outline, pointing at the heading pages', () => {
    const pageIndex = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
    const found: { title: string; page: number; depth: number }[] = [];
    const walk = (first: PDFObject | undefined, depth: number) => {
      let ref = first;
      while (ref instanceof PDFRef) {
        const item = doc.context.lookup(ref) as PDFDict;
        const dest = item.lookup(PDFName.of('Dest')) as PDFArray;
        found.push({ title: (item.lookup(PDFName.of('Title')) as PDFHexString).decodeText(), page: pageIndex.get(dest.get(0).toString())!, depth });
        walk(item.get(PDFName.of('First')), depth + 1);
        ref = item.get(PDFName.of('Next'));
      }
    };
    const outlines = doc.catalog.lookup(PDFName.of('Outlines')) as PDFDict;
    walk(outlines.get(PDFName.of('First')), 0);
    const flat = (ss: typeof result.book.outline, depth: number): { title: string; depth: number }[] =>
      ss.flatMap((s) => [{ title: s.title, depth }, ...flat(s.children, depth + 1)]);
    expect(found.map(({ title, depth }) => ({ title, depth }))).toEqual(flat(result.book.outline, 0));
    for (const f of found) expect(lines(texts[f.page - 1]!), f.title).toContain(f.title);
  });

  it('keeps contents and footnote links clickable and resolving', () => {
    const dests = doc.catalog.lookup(PDFName.of('Dests')) as PDFDict;
    const links = pdfLinkAnnotations(doc).flatMap((l) => (l.name === undefined ? [] : [{ from: l.from, to: l.to!, name: l.name }]));
    const tocPage = pageOf(texts, /^\s*Contents\s*$/m);
    const tocLinks = links.filter((l) => l.from === tocPage);
    expect(tocLinks).toHaveLength(6);
    for (const l of tocLinks) {
      const section = result.book.outline.flatMap((s) => [s, ...s.children]).find((s) => s.id === l.name)!;
      expect(lines(texts[l.to - 1]!)).toContain(section.title);
    }
    // each footnote call jumps to its note on the same page; the second call to note 1 too
    const noteLinks = links.filter((l) => /^(footnote|fn)-\d+$/.test(l.name));
    expect(noteLinks.length).toBeGreaterThanOrEqual(9);
    for (const l of noteLinks.filter((n) => n.name.startsWith('footnote-'))) expect(l.to).toBe(l.from);
    expect(noteLinks.find((l) => l.name === 'fn-1')?.to).toBe(pageOf(texts, 'NOTEa '));
    // no random names: the destinations are reproducible
    expect(dests.keys().map((k) => k.decodeText()).filter((k) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(k))).toEqual([]);
  });

  it('is byte-for-byte the same when built again with a fixed date', async () => {
    const again = path.join(tmpRoot, 'pdf-book-again');
    fs.cpSync(path.join(FIXTURES, 'pdf-book'), again, { recursive: true });
    await build(again, { format: 'pdf', out: path.join(again, 'dist'), quiet: true, reproducible: true }, { log: quiet() });
    const second = fs.readFileSync(path.join(again, 'dist', 'the-fixture-press-almanac.pdf'));
    expect(second.equals(fs.readFileSync(pdf))).toBe(true);
    expect(doc.context.trailerInfo.ID).toBeDefined();
  }, 60_000);

  it('leaves no Chromium running and no browser profile behind', async () => {
    const left = [...ourChromes()].filter((p) => !chromesBefore.has(p));
    expect(left).toEqual([]);
  });
});

describe('pdf target: other sizes and failures', () => {
  it('honours another page size preset (letter)', async () => {
    const dir = copyFixture('pdf-raw');
    const out = path.join(dir, 'letter');
    await build(dir, { format: 'pdf', out, quiet: true, size: 'letter' }, { log: quiet() });
    const [w, h] = pageSize(path.join(out, 'raw.pdf'));
    expect(Math.abs(w - 612)).toBeLessThan(1.5);
    expect(Math.abs(h - 792)).toBeLessThan(1.5);
  }, 60_000);

  it('builds raw HTML with remote images without fetching them, and warns (outside paths: diagnostics/raw-img-outside)', async () => {
    const dir = copyFixture('pdf-raw');
    const out = path.join(dir, 'dist');
    const r = await build(dir, { format: 'pdf', out, quiet: true }, { log: quiet() });
    const remote = r.diags.warnings.filter((d) => d.code === 'remote-image').map((d) => `${d.line}: ${d.message}`);
    expect(remote).toEqual([
      '10: remote image http://example.com/x.png is not fetched; samizdat builds only from files in the book folder',
      '14: remote image https://example.com/tracker.gif is not fetched; samizdat builds only from files in the book folder',
    ]);
    expect(run('pdfimages', ['-list', path.join(out, 'raw.pdf')]).split('\n').slice(2).filter(Boolean)).toEqual([]);
    expect(pageTexts(path.join(out, 'raw.pdf')).join('\n')).toContain('A paragraph after the pictures.');
  }, 60_000);

  it('serves only the book folder, the image variants and its own fonts', () => {
    const files = { html: '', bookRoot: path.join(FIXTURES, 'pdf-book'), images: new Map([['a', '/x/y.png']]) };
    const origin = new URL(PAGE_URL).origin;
    expect(resolveRequest(`${origin}/book/images/wide.jpg`, files)).toBe(path.join(files.bookRoot, 'images/wide.jpg'));
    expect(resolveRequest(`${origin}/_img/a/y.png`, files)).toBe('/x/y.png');
    expect(resolveRequest(`${origin}/book/%2e%2e/%2e%2e/etc/passwd`, files)).toBeUndefined();
    expect(resolveRequest('file:///etc/passwd', files)).toBeUndefined();
    expect(resolveRequest('http://example.com/x.png', files)).toBeUndefined();
    expect(resolveRequest(`${origin}/_tool/fonts/../../../../package.json`, files)).toBeUndefined();
  });

  it('fails with the Paged.js error text when a stylesheet makes Paged.js throw', async () => {
    const dir = copyFixture('pdf-trap');
    const out = path.join(dir, 'dist');
    await expect(build(dir, { format: 'pdf', out, quiet: true }, { log: quiet() })).rejects.toThrow(/Paged\.js failed.*: .+/);
    expect(fs.existsSync(path.join(out, 'trap.pdf'))).toBe(false);
  }, 60_000);

  it('stops on Ctrl-C during layout and closes the browser', async () => {
    const before = ourChromes();
    const dir = copyFixture('pdf-book');
    // The folder was built before: without its layout cache the build really lays the book out.
    fs.rmSync(path.join(dir, '.cache', 'samizdat', 'layout'), { recursive: true, force: true });
    const controller = new AbortController();
    class AbortingLogger extends Logger {
      override progress(): void {
        controller.abort(new Error('test interrupt'));
      }
    }
    await expect(build(dir, { format: 'pdf', out: path.join(dir, 'stopped'), quiet: true }, { log: new AbortingLogger(true), signal: controller.signal })).rejects.toThrow(/interrupt/);
    expect(fs.existsSync(path.join(dir, 'stopped'))).toBe(false);
    expect([...ourChromes()].filter((p) => !before.has(p))).toEqual([]);
  }, 60_000);

  it('closes a launched browser and removes its profile', async () => {
    const running = await launchChrome(findChrome(undefined), 30_000);
    const pid = running.browser.process()!.pid!;
    const profile = (running.browser.process()!.spawnargs.find((a) => a.startsWith('--user-data-dir=')) ?? '').split('=')[1]!;
    expect(fs.existsSync(profile)).toBe(true);
    await running.close();
    expect(fs.existsSync(profile)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);

  it('says how to install Chromium when the browser is missing', async () => {
    const dir = copyFixture('pdf-trap');
    const out = path.join(dir, 'nochrome');
    await expect(build(dir, { format: 'pdf', out, quiet: true, chrome: path.join(dir, 'no-such-chromium') }, { log: quiet() })).rejects.toThrow(
      /apt-get install chromium/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});

afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
