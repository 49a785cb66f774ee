/**
 * The EPUB 3 target, on the sample book and the EPUB fixtures: real builds, real EPUBCheck, the
 * archive opened with JSZip and its documents parsed as XML.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { DOMParser } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBook, FIXTURES, REPO, runCli } from './helpers/book.js';
import { describeMessages, epubcheck, type EpubCheckResult } from './helpers/epubcheck.js';
import { prepare } from '../src/build.js';
import type { Book, Section } from '../src/model/types.js';
import { labelsFor } from '../src/i18n/labels.js';
import { aceCheck, describeAce, type AceResult } from './helpers/ace.js';
import sharp from 'sharp';
import { COVER_HEIGHT, COVER_WIDTH, drawCover } from '../src/targets/epub/cover.js';

const EPOCH = 1700000000;
const EPOCH_ISO = new Date(EPOCH * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

type XmlDoc = ReturnType<DOMParser['parseFromString']>;
type El = NonNullable<ReturnType<XmlDoc['querySelector']>>;

interface Built {
  dir: string;
  file: string;
  data: Buffer;
  zip: JSZip;
  book: Book;
  check: EpubCheckResult;
  opf: XmlDoc;
  opfText: string;
  /** Manifest href → media type. */
  manifest: Map<string, { mediaType: string; properties: string; id: string }>;
  /** Spine hrefs in order. */
  spine: string[];
  xml(name: string): Promise<XmlDoc>;
  text(name: string): Promise<string>;
}

const parse = (s: string): XmlDoc => new DOMParser().parseFromString(s, 'text/xml');

async function build(bookDir: string, out: string): Promise<Built> {
  const run = await runCli(['build', bookDir, '--format', 'epub', '--out', out, '--quiet']);
  if (run.code !== 0) throw new Error(`build failed:\n${run.stderr}`);
  const name = fs.readdirSync(out).find((f) => f.endsWith('.epub'));
  if (!name) throw new Error(`no .epub in ${out}`);
  const file = path.join(out, name);
  const data = fs.readFileSync(file);
  const zip = await JSZip.loadAsync(data);
  const text = async (n: string) => {
    const f = zip.file(n);
    if (!f) throw new Error(`${n} is not in the archive`);
    return f.async('string');
  };
  const container = parse(await text('META-INF/container.xml'));
  const opfPath = container.getElementsByTagName('rootfile')[0]!.getAttribute('full-path')!;
  const base = path.posix.dirname(opfPath);
  const opfText = await text(opfPath);
  const opf = parse(opfText);
  const manifest = new Map<string, { mediaType: string; properties: string; id: string }>();
  const byId = new Map<string, string>();
  for (const item of opf.getElementsByTagName('item')) {
    const href = path.posix.join(base, item.getAttribute('href')!);
    manifest.set(href, { mediaType: item.getAttribute('media-type')!, properties: item.getAttribute('properties') ?? '', id: item.getAttribute('id')! });
    byId.set(item.getAttribute('id')!, href);
  }
  const spine = [...opf.getElementsByTagName('itemref')].map((r) => byId.get(r.getAttribute('idref')!)!);
  const { book } = prepare(bookDir);
  return {
    dir: bookDir,
    file,
    data,
    zip,
    book,
    check: epubcheck(file),
    opf,
    opfText,
    manifest,
    spine,
    text,
    xml: async (n) => parse(await text(n)),
  };
}

const meta = (b: Built, property: string): string[] =>
  [...b.opf.getElementsByTagName('meta')].filter((m) => m.getAttribute('property') === property).map((m) => m.textContent ?? '');
const dc = (b: Built, name: string): El[] => [...b.opf.getElementsByTagName(`dc:${name}`)];
const xhtmlFiles = (b: Built) => [...b.manifest].filter(([, v]) => v.mediaType === 'application/xhtml+xml').map(([k]) => k);
const textDocs = (b: Built) => b.spine.filter((f) => /\/text-\d+\.xhtml$/.test(f));

function flatten(sections: Section[]): Section[] {
  return sections.flatMap((s) => [s, ...flatten(s.children)]);
}

/** Resolves `href` written in `from` to [zip path, fragment]. */
function resolve(from: string, href: string): [string, string] {
  const [file, frag = ''] = href.split('#');
  return [file ? path.posix.join(path.posix.dirname(from), decodeURIComponent(file)) : from, decodeURIComponent(frag)];
}

async function elementAt(b: Built, from: string, href: string): Promise<El | null> {
  const [file, frag] = resolve(from, href);
  if (!b.zip.file(file)) return null;
  const doc = await b.xml(file);
  return frag ? doc.querySelector(`[id="${frag}"]`) : doc.documentElement;
}

function expectClean(b: Built): void {
  expect(describeMessages(b.check.errors)).toEqual([]);
  expect(describeMessages(b.check.warnings)).toEqual([]);
  expect(b.check.version).toMatch(/^3\./);
}

let sample: Built;
let sampleAgain: Built;
let ru: Built;
let ruByFile: Built;
let de: Built;
let article: Built;
let ace: Record<string, AceResult>;
const savedEpoch = process.env['SOURCE_DATE_EPOCH'];

beforeAll(async () => {
  process.env['SOURCE_DATE_EPOCH'] = String(EPOCH);
  const sampleDir = copyBook(REPO, 'sample');
  sample = await build(sampleDir, path.join(path.dirname(sampleDir), 'out-a'));
  sampleAgain = await build(sampleDir, path.join(path.dirname(sampleDir), 'out-b'));
  const ruDir = copyBook(path.join(FIXTURES, 'epub-ru'));
  ru = await build(ruDir, path.join(path.dirname(ruDir), 'out'));
  const ruFileDir = copyBook(path.join(FIXTURES, 'epub-ru'));
  fs.writeFileSync(path.join(ruFileDir, 'book.yaml'), 'epub:\n  split: file\n');
  ruByFile = await build(ruFileDir, path.join(path.dirname(ruFileDir), 'out'));
  const deDir = copyBook(path.join(FIXTURES, 'epub-de'));
  de = await build(deDir, path.join(path.dirname(deDir), 'out'));
  const articleDir = copyBook(path.join(FIXTURES, 'epub-article'));
  article = await build(articleDir, path.join(path.dirname(articleDir), 'out'));
  // Ace by DAISY on all five in one browser start.
  ace = await aceCheck([sample, ru, ruByFile, de, article].map((b) => b.file));
}, 600_000);

afterAll(() => {
  if (savedEpoch === undefined) delete process.env['SOURCE_DATE_EPOCH'];
  else process.env['SOURCE_DATE_EPOCH'] = savedEpoch;
});

describe('EPUBCheck', () => {
  it('finds no error and no warning in the sample book', () => expectClean(sample));
  it('finds no error and no warning in the Russian fixture (h1 split, notes per chapter)', () => expectClean(ru));
  it('finds no error and no warning in the Russian fixture split by file', () => expectClean(ruByFile));
  it('finds no error and no warning in the German fixture (h2 split, notes at the end, fonts, cover)', () => expectClean(de));
  it('finds no error and no warning in the article (title only in metadata, no cover image)', () => expectClean(article));

  it('does report a broken archive (the helper is not blind)', async () => {
    const broken = await JSZip.loadAsync(de.data);
    broken.remove(textDocs(de)[0]!);
    const file = path.join(path.dirname(de.file), 'broken.epub');
    fs.writeFileSync(file, await broken.generateAsync({ type: 'nodebuffer' }));
    const r = epubcheck(file);
    expect(r.errors.length).toBeGreaterThan(0);
  });
});

describe('Ace by DAISY', () => {
  it('finds no violation of any impact in the sample, the Russian fixture (by chapter and by file), the German fixture and the article', () => {
    for (const b of [sample, ru, ruByFile, de, article]) {
      expect(describeAce(ace[b.file]!), b.file).toEqual([]);
      expect(ace[b.file]!.outcome).toBe('pass');
    }
  });
});

describe('the archive', () => {
  it('starts with an uncompressed mimetype entry and no extra field', () => {
    for (const b of [sample, ru, de]) {
      const d = b.data;
      expect(d.readUInt32LE(0)).toBe(0x04034b50);
      expect(d.readUInt16LE(8)).toBe(0); // stored
      const nameLen = d.readUInt16LE(26);
      expect(d.readUInt16LE(28)).toBe(0);
      expect(d.subarray(30, 30 + nameLen).toString('latin1')).toBe('mimetype');
      expect(d.subarray(30 + nameLen, 30 + nameLen + 20).toString('latin1')).toBe('application/epub+zip');
    }
  });

  it('is byte-identical when built twice with the same SOURCE_DATE_EPOCH', () => {
    expect(sampleAgain.data.equals(sample.data)).toBe(true);
    expect(sample.data.length).toBeGreaterThan(1000);
  });

  it('dates every entry from SOURCE_DATE_EPOCH and has no folder entries', () => {
    const entries = Object.values(sample.zip.files);
    expect(entries.some((e) => e.dir)).toBe(false);
    const dates = new Set(entries.map((e) => e.date.getTime()));
    expect(dates.size).toBe(1);
    expect(Math.abs([...dates][0]! - EPOCH * 1000)).toBeLessThanOrEqual(2000);
  });

  it('holds exactly the manifest, with stable file names', () => {
    for (const b of [sample, ru, de]) {
      const files = Object.keys(b.zip.files).filter((n) => n !== 'mimetype' && !n.startsWith('META-INF/') && !n.endsWith('.opf'));
      expect(files.sort()).toEqual([...b.manifest.keys()].sort());
      for (const f of files) expect(f).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    }
  });
});

describe('package metadata', () => {
  it('carries the manuscript metadata of the sample book, nothing invented', () => {
    const m = sample.book.meta;
    const titles = dc(sample, 'title');
    expect(titles.map((t) => t.textContent)).toEqual([m.title, m.subtitle]);
    const refine = (id: string | null) => [...sample.opf.getElementsByTagName('meta')].find((x) => x.getAttribute('refines') === `#${id}` && x.getAttribute('property') === 'title-type')?.textContent;
    expect(refine(titles[0]!.getAttribute('id'))).toBe('main');
    expect(refine(titles[1]!.getAttribute('id'))).toBe('subtitle');
    expect(dc(sample, 'creator').map((c) => c.textContent)).toEqual(m.authors);
    expect(dc(sample, 'language').map((c) => c.textContent)).toEqual([m.lang]);
    expect(dc(sample, 'date').map((c) => c.textContent)).toEqual([m.date]);
    expect(dc(sample, 'publisher').map((c) => c.textContent)).toEqual([m.publisher]);
    expect(dc(sample, 'rights').map((c) => c.textContent)).toEqual([m.rights]);
    expect(dc(sample, 'description').map((c) => c.textContent)).toEqual([m.description]);
    const uid = sample.opf.documentElement.getAttribute('unique-identifier');
    expect(dc(sample, 'identifier').find((i) => i.getAttribute('id') === uid)?.textContent).toBe(m.identifier);
    expect(sample.opfText).not.toMatch(/All rights reserved|anonymous|epub-gen|Table of Contents/);
  });

  it('takes dcterms:modified from SOURCE_DATE_EPOCH', () => {
    for (const b of [sample, ru, de]) expect(meta(b, 'dcterms:modified')).toEqual([EPOCH_ISO]);
  });

  it('declares schema.org accessibility metadata: exactly the features each book has, and the EPUB Accessibility 1.1 claim', () => {
    for (const b of [sample, ru, ruByFile, de, article]) {
      const images = b.book.figures.length > 0;
      expect(meta(b, 'schema:accessMode').sort()).toEqual(images ? ['textual', 'visual'] : ['textual']);
      expect(meta(b, 'schema:accessModeSufficient')).toEqual(images ? ['textual', 'textual,visual'] : ['textual']);
      // Built without the PDF: no page list, so no page features.
      expect(meta(b, 'schema:accessibilityFeature')).toEqual([
        'structuralNavigation', 'tableOfContents', 'readingOrder', ...(images ? ['alternativeText'] : []), 'displayTransformability', 'ARIA',
      ]);
      expect(meta(b, 'schema:accessibilityHazard')).toEqual(['none']);
      const summary = meta(b, 'schema:accessibilitySummary');
      expect(summary).toHaveLength(1);
      expect(summary[0]).toContain(images ? 'Every image has a text alternative.' : 'It has no images.');
      expect(summary[0]).not.toMatch(/page list/);
      expect(meta(b, 'dcterms:conformsTo')).toEqual(['EPUB Accessibility 1.1 - WCAG 2.1 Level AA']);
      // book.yaml's a11y.certifier (the German fixture's), else the publisher, else the authors.
      expect(meta(b, 'a11y:certifiedBy')).toEqual([b === de ? 'Lesbar e. V.' : b.book.meta.publisher || b.book.meta.authors.join(', ')]);
    }
    expect(meta(sample, 'a11y:certifiedBy')).toEqual([sample.book.meta.publisher]);
    expect(meta(article, 'a11y:certifiedBy')).toEqual(article.book.meta.authors);
  });

  it('uses the book language, omits empty fields and derives a stable identifier (Russian fixture)', () => {
    expect(dc(ru, 'language').map((c) => c.textContent)).toEqual(['ru']);
    expect(ru.opf.documentElement.getAttribute('xml:lang')).toBe('ru');
    expect(dc(ru, 'description')).toEqual([]);
    expect(dc(ru, 'rights')).toEqual([]);
    expect(dc(ru, 'publisher')).toEqual([]);
    const id = dc(ru, 'identifier')[0]!.textContent!;
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(dc(ruByFile, 'identifier')[0]!.textContent).toBe(id);
    expect(dc(de, 'identifier')[0]!.textContent).not.toBe(id);
  });

  it('has a cover image, German labels and embedded fonts in the German fixture', async () => {
    const cover = [...de.manifest].filter(([, v]) => v.properties.split(' ').includes('cover-image'));
    expect(cover).toHaveLength(1);
    expect(cover[0]![1].mediaType).toBe('image/jpeg');
    const coverPage = await de.xml(de.spine[0]!);
    expect(coverPage.querySelector('img')?.getAttribute('src')).toBe(path.posix.relative(path.posix.dirname(de.spine[0]!), cover[0]![0]));
    const fonts = [...de.manifest].filter(([, v]) => v.mediaType === 'font/woff2');
    expect(fonts.length).toBeGreaterThanOrEqual(4);
    const css = await de.text([...de.manifest].find(([, v]) => v.mediaType === 'text/css')![0]);
    for (const [href] of fonts) expect(css).toContain(`url(${path.posix.basename(href)})`.replace('url(', 'url(fonts/'));
    expect(css).toMatch(/@font-face/);
    expect(dc(de, 'rights').map((c) => c.textContent)).toEqual([de.book.meta.rights]);
    const nav = await de.xml(de.spine.find((f) => de.manifest.get(f)!.properties.includes('nav'))!);
    expect(nav.querySelector('nav[id="toc"] h1')?.textContent).toBe('Inhalt');
  });
});

describe('reading order and navigation', () => {
  it('puts cover, title page, contents, the text in manuscript order, then the colophon', async () => {
    for (const b of [sample, ru, ruByFile, de]) {
      const headings: string[] = [];
      for (const f of textDocs(b)) {
        const doc = await b.xml(f);
        // The text's headings; a document's notes section has its own (checked in 'notes').
        for (const h of doc.querySelectorAll('h1, h2, h3, h4, h5, h6')) if (!h.closest('section.footnotes')) headings.push(h.getAttribute('id')!);
      }
      expect(headings).toEqual(flatten(b.book.outline).map((s) => s.id));
      const nav = b.spine.findIndex((f) => b.manifest.get(f)!.properties.includes('nav'));
      expect(nav).toBeGreaterThan(0);
      expect(b.spine.indexOf(textDocs(b)[0]!)).toBeGreaterThan(nav);
      expect(b.spine[b.spine.length - 1]).toMatch(/colophon\.xhtml$/);
    }
    // Every EPUB opens with its cover page, outside the linear reading order (the cover image shows anyway).
    for (const b of [sample, ru, de, article]) {
      expect(b.spine[0]).toMatch(/cover\.xhtml$/);
      expect(b.spine[1]).toMatch(/titlepage\.xhtml$/);
      const linear = [...b.opf.getElementsByTagName('itemref')].map((r) => r.getAttribute('linear'));
      expect(linear[0]).toBe('no');
      expect(linear.slice(1).every((l) => l === null)).toBe(true);
    }
  });

  it('prints the edition facts in the colophon: identifier, date, source hash, versions', async () => {
    const colophon = sample.spine[sample.spine.length - 1]!;
    const text = (await sample.xml(colophon)).documentElement.textContent ?? '';
    expect(text).toContain(sample.book.edition.sourcesSha256);
    expect(text).toContain(sample.book.meta.identifier!);
    expect(text).toContain(sample.book.meta.date!);
    expect(text).toMatch(/samizdat \d+\.\d+\.\d+/);
    expect(text).toMatch(/markdown-it 15\./);
    // Each fact once.
    const m = sample.book.meta;
    for (const fact of [m.identifier!, m.date!, m.publisher!, m.rights!, m.authors.join(', '), sample.book.edition.sourcesSha256]) {
      expect(text.split(fact).length - 1, fact).toBe(1);
    }
    const ruColophon = (await ru.xml(ru.spine[ru.spine.length - 1]!)).documentElement;
    expect(ruColophon.querySelector('section')?.getAttribute('role')).toBe('doc-colophon');
    expect([...ruColophon.querySelectorAll('dt')].map((d) => d.textContent)).toContain(labelsFor('ru').facts.identifier);
  });

  it('splits documents by chapter, by level-2 section or by file', () => {
    expect(textDocs(ru)).toHaveLength(ru.book.chapters.length);
    expect(textDocs(ruByFile)).toHaveLength(new Set(ruByFile.book.chapters.map((c) => c.source.file)).size);
    const h1h2 = flatten(de.book.outline).filter((s) => s.level <= 2).length;
    expect(textDocs(de)).toHaveLength(h1h2);
  });

  it('has a nested navigation document whose every entry reaches file#id', async () => {
    for (const b of [sample, ru, ruByFile, de]) {
      const navFile = [...b.manifest].find(([, v]) => v.properties.split(' ').includes('nav'))![0];
      const nav = await b.xml(navFile);
      const toc = nav.querySelector('nav[id="toc"]')!;
      expect(toc.getAttribute('epub:type')).toBe('toc');
      const links = [...toc.querySelectorAll('a')];
      const outline = flatten(b.book.outline);
      expect(links.length).toBeGreaterThanOrEqual(outline.length);
      if (outline.some((s) => s.children.length)) expect(toc.querySelector('ol ol')).not.toBeNull();
      for (const a of links) {
        const href = a.getAttribute('href')!;
        expect(href).toContain('#');
        const target = await elementAt(b, navFile, href);
        expect(target, href).not.toBeNull();
      }
      const landmarks = [...nav.querySelectorAll('nav[id="landmarks"] a')].map((a) => a.getAttribute('epub:type'));
      expect(landmarks).toEqual(expect.arrayContaining(['toc', 'bodymatter']));
      if (b.book.meta.cover) expect(landmarks).toContain('cover');
      for (const a of nav.querySelectorAll('nav[id="landmarks"] a')) expect(await elementAt(b, navFile, a.getAttribute('href')!)).not.toBeNull();
      const ncxFile = [...b.manifest].find(([, v]) => v.mediaType === 'application/x-dtbncx+xml')![0];
      const ncx = await b.xml(ncxFile);
      const points = [...ncx.getElementsByTagName('content')];
      expect(points.length).toBe(links.length);
      for (const c of points) expect(await elementAt(b, ncxFile, c.getAttribute('src')!)).not.toBeNull();
    }
  });
});

describe('notes', () => {
  async function notesOf(b: Built) {
    const calls: { file: string; el: El }[] = [];
    const asides: { file: string; el: El }[] = [];
    for (const f of xhtmlFiles(b)) {
      const doc = await b.xml(f);
      for (const a of doc.querySelectorAll('a')) if (a.getAttribute('epub:type') === 'noteref') calls.push({ file: f, el: a });
      for (const s of doc.querySelectorAll('aside')) asides.push({ file: f, el: s });
    }
    return { calls, asides };
  }

  it('links every call to an EPUB 3 footnote and every footnote back to each of its calls', async () => {
    for (const b of [sample, ru, ruByFile, de]) {
      const { calls, asides } = await notesOf(b);
      expect(asides.map((a) => a.el.getAttribute('id'))).toEqual(b.book.notes.map((n) => `note-${n.number}`));
      expect(calls).toHaveLength(b.book.notes.reduce((s, n) => s + n.calls, 0));
      for (const c of calls) {
        expect(c.el.getAttribute('role')).toBe('doc-noteref');
        const target = await elementAt(b, c.file, c.el.getAttribute('href')!);
        expect(target?.tagName.toLowerCase()).toBe('aside');
        expect(target?.getAttribute('epub:type')).toBe('footnote');
        expect(target?.getAttribute('role')).toBe('doc-footnote');
        expect(`note-${c.el.textContent}`).toBe(target?.getAttribute('id'));
      }
      for (const a of asides) {
        const n = Number(a.el.getAttribute('id')!.slice('note-'.length));
        const backs = [...a.el.querySelectorAll('a')].filter((x) => x.getAttribute('role') === 'doc-backlink');
        expect(backs).toHaveLength(b.book.notes.find((x) => x.number === n)!.calls);
        for (const back of backs) {
          const call = await elementAt(b, a.file, back.getAttribute('href')!);
          expect(call?.getAttribute('epub:type')).toBe('noteref');
          const [callFile] = resolve(a.file, back.getAttribute('href')!);
          expect(resolve(callFile, call!.getAttribute('href')!)).toEqual([a.file, a.el.getAttribute('id')]);
        }
      }
    }
  });

  it('gathers each document’s notes in an endnotes section headed in the book’s language, one rank below the document', async () => {
    for (const b of [sample, ru, ruByFile, de]) {
      let sections = 0;
      for (const f of xhtmlFiles(b)) {
        const doc = await b.xml(f);
        const asides = [...doc.querySelectorAll('aside')];
        if (asides.length === 0) continue;
        const section = asides[0]!.parentElement!;
        for (const a of asides) expect(a.parentElement).toBe(section);
        expect(section.tagName.toLowerCase()).toBe('section');
        expect(section.getAttribute('role')).toBe('doc-endnotes');
        expect(section.getAttribute('epub:type')).toBe('endnotes');
        const heading = doc.getElementById(section.getAttribute('aria-labelledby')!)!;
        expect(heading.parentElement).toBe(section);
        expect(heading.textContent).toBe(labelsFor(b.book.meta.lang).notes);
        const own = doc.querySelector('section > h1, section > h2, section > h3');
        const rank = (h: El) => Number(h.tagName.slice(1));
        if (own !== heading) expect(rank(heading)).toBe(rank(own!) + 1);
        else expect(rank(heading)).toBe(1); // the book-wide notes document
        // Back-links look like links: the stylesheet underlines them.
        for (const a of section.querySelectorAll('a')) if (a.getAttribute('role') === 'doc-backlink') expect(a.textContent).toMatch(/^\d+\.$|^↩/);
        sections++;
      }
      expect(sections).toBeGreaterThan(0);
    }
    const css = await sample.text([...sample.manifest].find(([, v]) => v.mediaType === 'text/css')![0]);
    expect(css).toMatch(/a\.note-number, \.note-backlinks a \{ text-decoration: underline; \}/);
  });

  it('numbers notes continuously across chapters', async () => {
    const { calls } = await notesOf(sample);
    const firsts = calls.map((c) => Number(c.el.textContent)).filter((n, i, all) => all.indexOf(n) === i);
    expect(firsts).toEqual(Array.from({ length: sample.book.notes.length }, (_, i) => i + 1));
    expect(new Set(calls.map((c) => c.file)).size).toBeGreaterThan(1);
  });

  it('places a note called from two chapters after the first and links both calls across files', async () => {
    const shared = ru.book.notes.find((n) => n.calls === 2)!;
    expect(shared).toBeDefined();
    const { calls, asides } = await notesOf(ru);
    const mine = calls.filter((c) => c.el.textContent === String(shared.number));
    expect(new Set(mine.map((c) => c.file)).size).toBe(2);
    const aside = asides.find((a) => a.el.getAttribute('id') === `note-${shared.number}`)!;
    expect(aside.file).toBe(mine[0]!.file);
    expect(mine[1]!.el.getAttribute('href')).toBe(`${path.posix.basename(aside.file)}#note-${shared.number}`);
  });

  it('collects every note in a notes document at the end when epub.notes is book', async () => {
    const { asides } = await notesOf(de);
    const files = new Set(asides.map((a) => a.file));
    expect([...files]).toEqual([de.spine[de.spine.length - 2]]);
  });
});

describe('content documents', () => {
  it('declares the book language with xml:lang and lang on every XHTML document', async () => {
    for (const b of [sample, ru, de]) {
      for (const f of xhtmlFiles(b)) {
        const root = (await b.xml(f)).documentElement;
        expect(root.getAttribute('xml:lang'), f).toBe(b.book.meta.lang);
        expect(root.getAttribute('lang'), f).toBe(b.book.meta.lang);
      }
    }
    const doc = await ru.xml(textDocs(ru)[1]!);
    const span = doc.querySelector('span[lang="en"]');
    expect(span?.getAttribute('xml:lang')).toBe('en');
  });

  it('keeps Cyrillic as UTF-8 text, an ordered list starting at 3 and raw list attributes', async () => {
    const chapter = await ru.text(textDocs(ru)[1]!);
    expect(chapter).toContain('Глава первая');
    expect(chapter).not.toMatch(/&#x?[0-9a-f]+;/i);
    const doc = parse(chapter);
    const lists = [...doc.querySelectorAll('ol')];
    expect(lists.map((l) => l.getAttribute('start'))).toEqual(['3', '5']);
    expect(lists[0]!.querySelector('li')?.textContent).toBe('третий пункт');
    expect(lists[1]!.getAttribute('reversed')).toBe('reversed');
  });

  it('rewrites in-book links to the document that holds the target', async () => {
    for (const b of [ru, de]) {
      for (const f of textDocs(b)) {
        const doc = await b.xml(f);
        for (const a of doc.querySelectorAll('a[href]')) {
          const href = a.getAttribute('href')!;
          if (/^[a-z]+:/i.test(href)) continue;
          expect(await elementAt(b, f, href), `${f}: ${href}`).not.toBeNull();
        }
      }
    }
  });

  it('renders figures with captions, the author’s alt text and manifest images', async () => {
    for (const b of [sample, ru, de]) {
      let figures = 0;
      for (const f of xhtmlFiles(b)) {
        const doc = await b.xml(f);
        for (const img of doc.querySelectorAll('img')) {
          const src = resolve(f, img.getAttribute('src')!)[0];
          expect(b.manifest.get(src)?.mediaType, src).toMatch(/^image\/(jpeg|png|gif|webp|svg\+xml)$/);
          expect(b.zip.file(src), src).not.toBeNull();
          expect(img.getAttribute('alt')?.trim()).toBeTruthy();
        }
        for (const fig of doc.querySelectorAll('figure')) {
          figures++;
          const model = b.book.figures.find((x) => x.id === fig.getAttribute('id'))!;
          expect(model, fig.getAttribute('id')!).toBeDefined();
          expect(fig.querySelector('img')?.getAttribute('alt')).toBe(model.alt);
          expect(fig.querySelector('figcaption')?.textContent?.trim()).toBe(model.caption);
        }
      }
      expect(figures).toBe(b.book.figures.length);
    }
  });

  it('has a reflowable stylesheet: no pixel font sizes, no forced colours or backgrounds', async () => {
    const css = await sample.text([...sample.manifest].find(([, v]) => v.mediaType === 'text/css')![0]);
    expect(css).not.toMatch(/font-size\s*:\s*[\d.]+px/);
    expect(css).not.toMatch(/(^|[\s;{])(color|background(-color)?)\s*:/);
    expect(css).not.toMatch(/(^|[\s;{])(body|html)\s*\{[^}]*\bmargin\s*:/);
  });
});

/** Raw RGB pixels of an image, at `width`×`height`. */
async function pixels(data: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(data).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
}

/** Mean absolute difference per channel of rows [y0, y1) of two same-sized RGB images. */
function meanDiff(a: Buffer, b: Buffer, width: number, y0: number, y1: number): number {
  let sum = 0;
  for (let i = y0 * width * 3; i < y1 * width * 3; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / ((y1 - y0) * width * 3);
}

describe('covers', () => {
  async function coverOf(b: Built) {
    const [href] = [...b.manifest].find(([, v]) => v.properties.split(' ').includes('cover-image'))!;
    const data = await b.zip.file(href)!.async('nodebuffer');
    return { href, data, meta: await sharp(data).metadata() };
  }

  it('gives every EPUB a 1600×2560 cover image, drawn with the title: the sample over its picture, the others typographic', async () => {
    for (const b of [sample, ru, de, article]) {
      const { href, data, meta: m } = await coverOf(b);
      expect([m.width, m.height, m.format]).toEqual([COVER_WIDTH, COVER_HEIGHT, 'jpeg']);
      expect(meta(b, 'cover')).toEqual([]); // EPUB 2 style <meta name="cover"> is an attribute, not text
      expect([...b.opf.getElementsByTagName('meta')].find((x) => x.getAttribute('name') === 'cover')?.getAttribute('content')).toBe(b.manifest.get(href)!.id);
      // The drawn cover differs from the same cover drawn without words in the band where the words stand, and only there.
      const asset = b.book.meta.cover ? b.book.assets.get(b.book.meta.cover) : undefined;
      const bare = await drawCover({ lang: b.book.meta.lang, title: b.book.meta.title, subtitle: b.book.meta.subtitle, authors: b.book.meta.authors }, asset?.path, path.join(b.dir, '.cache', 'samizdat', 'images'), false);
      const [w, h] = [200, 320];
      const [withWords, without] = [await pixels(data, w, h), await pixels(bare, w, h)];
      const band = asset ? [Math.round(0.45 * h), Math.round(0.88 * h)] : [Math.round(0.22 * h), Math.round(0.4 * h)];
      expect(meanDiff(withWords, without, w, band[0]!, band[1]!), b.dir).toBeGreaterThan(4);
      expect(meanDiff(withWords, without, w, 0, Math.round(0.15 * h)), b.dir).toBeLessThan(2);
    }
    // The sample's cover keeps its picture: the top of it matches the picture scaled to cover the page.
    const picture = sample.book.assets.get(sample.book.meta.cover!)!.path;
    const scaled = await sharp(picture).resize(COVER_WIDTH, COVER_HEIGHT, { fit: 'cover' }).jpeg().toBuffer();
    const [w, h] = [200, 320];
    expect(meanDiff(await pixels((await coverOf(sample)).data, w, h), await pixels(scaled, w, h), w, 0, Math.round(0.3 * h))).toBeLessThan(4);
  });

  it('describes the cover in its alt text by the words it shows, in the book’s language', async () => {
    for (const b of [sample, ru, article]) {
      const page = await b.xml(b.spine[0]!);
      const alt = page.querySelector('img')!.getAttribute('alt')!;
      expect(alt.startsWith(`${labelsFor(b.book.meta.lang).cover}: ${b.book.meta.title}`)).toBe(true);
      for (const a of b.book.meta.authors) expect(alt).toContain(a);
      if (b.book.meta.subtitle) expect(alt).toContain(b.book.meta.subtitle);
    }
  });

  it('keeps a cover picture the text does not show out of the archive (it lives in the drawn cover)', () => {
    const pictures = [...sample.manifest].filter(([, v]) => v.mediaType.startsWith('image/'));
    expect(pictures).toHaveLength(sample.book.figures.length + 1);
  });
});

describe('headings', () => {
  /** Heading ranks in reading order across the text documents (the notes sections included). */
  async function ranks(b: Built): Promise<{ rank: number; id: string; text: string; file: string }[]> {
    const out: { rank: number; id: string; text: string; file: string }[] = [];
    for (const f of textDocs(b)) {
      const doc = await b.xml(f);
      for (const h of doc.querySelectorAll('h1, h2, h3, h4, h5, h6')) out.push({ rank: Number(h.tagName.slice(1)), id: h.getAttribute('id') ?? '', text: h.textContent ?? '', file: f });
    }
    return out;
  }

  it('starts the outline at level 1 when the title is only in the metadata, and never skips a level', async () => {
    expect(article.book.outline.some((s) => s.level === 1)).toBe(false);
    for (const b of [sample, ru, ruByFile, de, article]) {
      const hs = await ranks(b);
      expect(hs[0]!.rank, b.dir).toBe(1);
      for (let i = 1; i < hs.length; i++) expect(hs[i]!.rank - hs[i - 1]!.rank, `${b.dir} ${hs[i]!.text}`).toBeLessThanOrEqual(1);
    }
    const first = (await ranks(article))[0]!;
    expect(first.text).toBe(article.book.meta.title);
    // Ace's own outline of the headings starts with the title page's h1 and then the article's title at level 1.
    expect(ace[article.file]!.outlines.headings).toMatch(new RegExp(`toc-h1">${article.book.meta.title}</span>.*toc-h1">Contents</span>.*toc-h1">${article.book.meta.title}</span>`));
  });

  it('reaches the text before the first heading from the contents', async () => {
    const navFile = [...article.manifest].find(([, v]) => v.properties.split(' ').includes('nav'))![0];
    const nav = await article.xml(navFile);
    const links = [...nav.querySelectorAll('nav[id="toc"] a')];
    expect(links[0]!.textContent).toBe(article.book.meta.title);
    const target = await elementAt(article, navFile, links[0]!.getAttribute('href')!);
    expect(target?.tagName.toLowerCase()).toBe('h1');
    // The first words of the manuscript follow that heading.
    const firstWords = (article.book.chapters[0]!.tokens.find((t) => t.type === 'inline')!.content).slice(0, 30);
    expect(target!.nextElementSibling?.textContent).toContain(firstWords);
    expect(links.slice(1).map((a) => a.textContent)).toEqual(flatten(article.book.outline).map((s) => s.title));
  });
});
