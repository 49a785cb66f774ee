/**
 * Print page numbers inside the EPUB: every page of the PDF has a marker in the EPUB, standing right
 * before the first words the PDF shows on that page; the page list resolves and passes EPUBCheck;
 * an EPUB built without the PDF has no page list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { parseHTML } from 'linkedom';
import { copyBook, REPO, runCli } from './helpers/book.js';
import { describeMessages, epubcheck } from './helpers/epubcheck.js';
import { aceCheck, describeAce } from './helpers/ace.js';
import os from 'node:os';
import { pageBreakRules, planPages } from '../src/targets/epub/page_list.js';
import { prepare } from '../src/build.js';
import { createRenderer } from '../src/render/base.js';

const letters = (s: string) => (s.replace(/\u00ad/g, '').match(/\p{L}/gu) ?? []).join('').toLowerCase();

interface Epub {
  file: string;
  docs: Map<string, string>;
  opf: string;
}

async function readEpub(file: string): Promise<Epub> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const docs = new Map<string, string>();
  for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xhtml'))) docs.set(path.posix.basename(name), await zip.file(name)!.async('string'));
  return { file, docs, opf: await zip.file(Object.keys(zip.files).find((n) => n.endsWith('.opf'))!)!.async('string') };
}

/** Letters of the text that follows the marker for page `folio` in its document (markup and note calls dropped). */
function lettersAfter(doc: string, folio: number): string {
  const { document } = parseHTML(doc.replace(/<\?xml[^>]*>/, ''));
  const marker = document.getElementById(`page-${folio}`)!;
  for (const a of document.querySelectorAll('a[role="doc-noteref"], aside, [role="doc-endnotes"]')) a.remove();
  marker.textContent = '\u0001';
  const text = document.body.textContent ?? '';
  return letters(text.slice(text.indexOf('\u0001') + 1));
}

/** Text (markup and note calls dropped) after the marker for page `folio`, up to the end of its document. */
function wordsAfter(doc: string, folio: number): string {
  const { document } = parseHTML(doc.replace(/<\?xml[^>]*>/, ''));
  const marker = document.getElementById(`page-${folio}`)!;
  for (const a of document.querySelectorAll('a[role="doc-noteref"], aside, [role="doc-endnotes"]')) a.remove();
  marker.textContent = '\u0001';
  const text = document.body.textContent ?? '';
  return text.slice(text.indexOf('\u0001') + 1).replace(/^\u0001+/, '').trimStart();
}

let sample: string;
let epub: Epub;
let pdf: string;
let folios: number;
let offset: number;

beforeAll(async () => {
  sample = copyBook(REPO, 'sample');
  const run = await runCli(['build', sample, '--format', 'pdf,epub', '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  const dist = path.join(sample, 'dist');
  const epubFile = fs.readdirSync(dist).find((f) => f.endsWith('.epub'))!;
  pdf = path.join(dist, fs.readdirSync(dist).find((f) => f.endsWith('.pdf') && !/-(booklet|press|pdfa|minizine)\.pdf$/.test(f))!);
  epub = await readEpub(path.join(dist, epubFile));
  folios = [...epub.docs.get('toc.xhtml')!.matchAll(/href="[^"]+#page-(\d+)"/g)].length;
  // Covers are not numbered: the PDF's page labels say where folio 1 is.
  const labels = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=pagelabels', pdf], { encoding: 'utf8' })) as {
    pagelabels: { index: number; label: Record<string, unknown> }[];
  };
  offset = labels.pagelabels.find((l) => l.label['/S'] === '/D')!.index;
}, 180_000);

describe('EPUB page list from the PDF', () => {
  it('lists every printed page, in order, each resolving to its marker', () => {
    const nav = parseHTML(epub.docs.get('toc.xhtml')!.replace(/<\?xml[^>]*>/, '')).document;
    const list = nav.querySelector('nav[epub\\:type="page-list"], nav#page-list')!;
    const links = [...list.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual(Array.from({ length: folios }, (_, i) => String(i + 1)));
    expect(folios).toBeGreaterThan(20);
    for (const a of links) {
      const [file, id] = a.getAttribute('href')!.split('#');
      const doc = epub.docs.get(file!)!;
      expect(doc, file).toBeDefined();
      expect(doc).toContain(`id="${id}"`);
      expect(doc).toMatch(new RegExp(`<span epub:type="pagebreak" role="doc-pagebreak" id="${id}" aria-label="${a.textContent}"></span>`));
    }
  });

  it('puts each marker right before the first words the PDF shows on that page', () => {
    let checked = 0;
    let moved = 0;
    for (let folio = 1; folio <= folios; folio++) {
      const page = letters(execFileSync('pdftotext', ['-f', String(folio + offset), '-l', String(folio + offset), pdf, '-'], { encoding: 'utf8' }));
      const file = [...epub.docs].find(([, d]) => d.includes(`id="page-${folio}"`))![0];
      if (!/^text-/.test(file) || page.length === 0) continue; // front matter and blank pages
      const after = lettersAfter(epub.docs.get(file)!, folio);
      const next = [...epub.docs].find(([, d]) => d.includes(`id="page-${folio + 1}"`))?.[0];
      if (next === file && lettersAfter(epub.docs.get(file)!, folio + 1) === after) continue; // a blank page marked with the next
      // The page's text starts with its running head (≤ 60 letters), then the words the marker precedes;
      // a word hyphenated across the page break starts on the page before (its marker stands before it).
      const firstWord = letters(wordsAfter(epub.docs.get(file)!, folio).split(/\s+/)[0] ?? '');
      const skip = [...Array(firstWord.length + 1).keys()].find((k) => {
        const at = page.indexOf(after.slice(k, k + 24));
        return at >= 0 && at < 70;
      });
      expect(skip, `page ${folio}: "${after.slice(0, 24)}" not near the top of ${page.slice(0, 120)}`).toBeDefined();
      moved += skip! > 0 ? 1 : 0;
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
    // The sample has a word hyphenated across a page break ("pan-|els’" on page 17 at A5).
    expect(moved).toBeGreaterThan(0);
  });

  it('never puts a marker inside a word: the text before it ends with a space (or its block starts there)', () => {
    let markers = 0;
    for (const [name, doc] of epub.docs) {
      if (!/^text-/.test(name)) continue;
      const { document } = parseHTML(doc.replace(/<\?xml[^>]*>/, ''));
      for (const marker of document.querySelectorAll('span[role="doc-pagebreak"]')) {
        const block = marker.closest('p, li, h1, h2, h3, h4, h5, h6, figcaption, blockquote, dd, dt, td, th, section')!;
        marker.textContent = '\u0001';
        const text = block.textContent ?? '';
        const before = text.slice(0, text.indexOf('\u0001')).replace(/\u0001/g, '');
        const after = text.slice(text.indexOf('\u0001') + 1).replace(/^\u0001+/, '');
        expect(before === '' || /\s$/u.test(before), `${name} page ${marker.getAttribute('aria-label')}: …${before.slice(-20)}|${after.slice(0, 20)}`).toBe(true);
        marker.textContent = '';
        markers++;
      }
    }
    expect(markers).toBeGreaterThan(15);
  });

  it('points the front matter pages at the title page and the contents, and carries the page list in toc.ncx', async () => {
    const nav = parseHTML(epub.docs.get('toc.xhtml')!.replace(/<\?xml[^>]*>/, '')).document;
    const hrefs = [...nav.querySelectorAll('nav#page-list a')].map((a) => a.getAttribute('href')!);
    // The PDF's front matter: pages before the first text page; the contents page is the one whose text starts with the contents heading.
    const front = hrefs.filter((h) => !h.startsWith('text-'));
    expect(front.length).toBeGreaterThanOrEqual(2);
    expect(front[0]).toBe('titlepage.xhtml#page-1');
    const contentsFolios = Array.from({ length: front.length }, (_, i) => i + 1).filter((f) =>
      /^contents/i.test(execFileSync('pdftotext', ['-f', String(f + offset), '-l', String(f + offset), pdf, '-'], { encoding: 'utf8' }).trim()),
    );
    expect(contentsFolios.length).toBeGreaterThan(0);
    for (const f of contentsFolios) expect(hrefs[f - 1]).toBe(`toc.xhtml#page-${f}`);
    const zip = await JSZip.loadAsync(fs.readFileSync(epub.file));
    const ncx = parseHTML((await zip.file('OEBPS/toc.ncx')!.async('string')).replace(/<\?xml[^>]*>/, '')).document;
    const targets = [...ncx.querySelectorAll('pageTarget, pagetarget')];
    expect(targets.map((t) => t.getAttribute('value'))).toEqual(hrefs.map((_, i) => String(i + 1)));
    expect(targets.map((t) => t.querySelector('content')!.getAttribute('src'))).toEqual(hrefs);
    const metaOf = (name: string) => ncx.querySelector(`meta[name="${name}"]`)!.getAttribute('content');
    expect(metaOf('dtb:totalPageCount')).toBe(String(folios));
    expect(metaOf('dtb:maxPageNumber')).toBe(String(folios));
  });

  it('names the print edition as the source of the page breaks, and passes EPUBCheck', () => {
    expect(epub.opf).toMatch(/<dc:source id="print-source">[^<]*four-copies-on-an-erika\.pdf[^<]*<\/dc:source>/);
    expect(epub.opf).toContain('<meta refines="#print-source" property="source-of">pagination</meta>');
    // Exactly the features this edition has: with the page list, page-break markers and page navigation.
    expect([...epub.opf.matchAll(/<meta property="schema:accessibilityFeature">([^<]*)<\/meta>/g)].map((m) => m[1])).toEqual([
      'structuralNavigation', 'tableOfContents', 'readingOrder', 'alternativeText', 'displayTransformability', 'pageBreakMarkers', 'pageNavigation', 'ARIA',
    ]);
    expect(epub.opf).toContain('<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>');
    expect(epub.opf).toMatch(/<meta property="schema:accessibilitySummary" xml:lang="en">[^<]*Page-break markers and a page list/);
    const check = epubcheck(epub.file);
    expect(describeMessages(check.errors)).toEqual([]);
    expect(describeMessages(check.warnings)).toEqual([]);
  });

  it('passes Ace by DAISY with its page-break markers and page list (no violation of any impact)', async () => {
    const result = (await aceCheck([epub.file]))[epub.file]!;
    expect(describeAce(result)).toEqual([]);
    expect(result.outcome).toBe('pass');
  }, 120_000);
});

describe('EPUB without a PDF build', () => {
  it('has no page list and no page markers', async () => {
    const book = copyBook(REPO, 'epub-only');
    const run = await runCli(['build', book, '--format', 'epub', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const file = path.join(book, 'dist', fs.readdirSync(path.join(book, 'dist')).find((f) => f.endsWith('.epub'))!);
    const only = await readEpub(file);
    for (const doc of only.docs.values()) expect(doc).not.toContain('doc-pagebreak');
    expect(only.docs.get('toc.xhtml')).not.toContain('page-list');
  });
});

describe('page starts out of reading order', () => {
  it('marks a page that opens with a floated figure where its running text starts, else with the page before', () => {
    const plan = planPages([
      { folio: 1, block: 5, offset: 0, blank: false },
      // Opens with a figure (block 3) floated past block 5: its running text starts in block 7.
      { folio: 2, block: 3, offset: 0, flow: { block: 7, offset: 2 }, blank: false },
      // Only a floated figure on the page: marked with page 2.
      { folio: 3, block: 4, offset: 0, blank: false },
      { folio: 4, block: 9, offset: 10, blank: false },
    ]);
    expect([...plan.byBlock].sort(([a], [b]) => a - b)).toEqual([
      [5, [{ offset: 0, folios: [1] }]],
      [7, [{ offset: 2, folios: [2] }, { offset: 2, folios: [3] }]],
      [9, [{ offset: 10, folios: [4] }]],
    ]);
  });
});

describe('a page that opens with a picture', () => {
  it('is marked before the figure, not after the picture at its caption\'s first letter', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-pagelist-figure-'));
    fs.mkdirSync(path.join(dir, 'manuscript'));
    fs.writeFileSync(path.join(dir, 'book.yaml'), 'title: A picture book\nlang: en\n');
    fs.cpSync(path.join(REPO, 'images'), path.join(dir, 'images'), { recursive: true });
    const picture = fs.readdirSync(path.join(dir, 'images')).find((f) => /\.(jpe?g|png)$/i.test(f))!;
    fs.writeFileSync(path.join(dir, 'manuscript', '01.md'), `# One\n\nWords before the picture.\n\n![A picture](../images/${picture} "Its caption, credited.")\n\nWords after it.\n`);
    const book = prepare(dir).book;
    const tokens = book.chapters[0]!.tokens;
    const caption = tokens.find((t) => t.type === 'figcaption_open')!;
    const after = tokens.filter((t) => t.type === 'paragraph_open').at(-1)!;
    // In print, page 2 opens with the figure (the caption's first letter is the page's first), page 3 with the last paragraph.
    const plan = planPages([
      { folio: 1, block: tokens.find((t) => t.type === 'heading_open')!.meta!.block as number, offset: 0, blank: false },
      { folio: 2, block: caption.meta!.block as number, offset: 0, blank: false },
      { folio: 3, block: after.meta!.block as number, offset: 0, blank: false },
    ]);
    const html = createRenderer(book, { assetUrl: () => 'pic.jpg', noteRef: () => '', xhtml: true, rules: pageBreakRules(plan, 'x.xhtml', new Map()) }).render(tokens);
    const at = (needle: string) => html.indexOf(needle);
    expect(at('id="page-2"')).toBeGreaterThan(at('Words before'));
    expect(at('id="page-2"')).toBeLessThan(at('<figure'));
    expect(html.match(/id="page-2"/g)).toHaveLength(1);
    expect(at('id="page-3"')).toBeLessThan(at('Words after'));
    expect(at('id="page-3"')).toBeGreaterThan(at('</figure>'));
  });
});
