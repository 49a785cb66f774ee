/**
 * Raw HTML as people write it (tests/fixtures/raw-html): literal tags in sentences, unclosed and stray
 * tags, <img>, <figure> with blank lines, <table width border bgcolor>, a <div> around Markdown, an SVG
 * with a DOCTYPE, a script and remote references. One HTML + EPUB build serves every assertion.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { Logger } from '../src/util/log.js';
import { copyBook, FIXTURES } from './helpers/book.js';
import { describeMessages, epubcheck } from './helpers/epubcheck.js';
import { wellFormed } from './helpers/xml.js';

const quiet = () => new Logger(true);

describe('raw HTML in a manuscript', () => {
  let dir: string;
  let out: string;
  let result: BuildResult;
  let docs: Map<string, string>;
  let entries: string[];
  let web: string;
  const source = fs.readFileSync(path.join(FIXTURES, 'raw-html', 'manuscript', '01-raw.md'), 'utf8');

  beforeAll(async () => {
    dir = copyBook(path.join(FIXTURES, 'raw-html'));
    out = path.join(dir, 'dist');
    result = await build(dir, { format: 'html,epub', out, quiet: true }, { log: quiet() });
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, 'raw-html-in-a-manuscript.epub')));
    entries = Object.keys(zip.files);
    docs = new Map();
    for (const name of Object.keys(zip.files).filter((n) => /\.(xhtml|svg|opf|ncx|css)$/.test(n))) docs.set(name, await zip.files[name]!.async('string'));
    web = fs.readFileSync(path.join(out, 'raw-html-in-a-manuscript.html'), 'utf8');
  }, 120_000);

  it('passes EPUBCheck without errors or warnings', () => {
    const r = epubcheck(path.join(out, 'raw-html-in-a-manuscript.epub'));
    expect(describeMessages([...r.errors, ...r.warnings])).toEqual([]);
  }, 120_000);

  it('writes every EPUB document as well-formed XML', () => {
    for (const [name, text] of docs) if (!name.endsWith('.css')) expect(wellFormed(text), name).toBeUndefined();
  });

  it('keeps a literal tag in a sentence as text, with the rest of the sentence', () => {
    const chapter = docs.get('OEBPS/text-001.xhtml')!;
    for (const html of [chapter, web]) {
      expect(html).toContain('A literal &lt;h3&gt; inside a sentence must not swallow the rest of it, nor should a stray &lt;/em&gt; or');
      expect(html).toContain('#include &lt;stdio.h&gt; lose its words.');
      expect(html).toContain('<b>bold run that ends with its paragraph.</b></p>');
    }
    const warned = result.diags.warnings.filter((d) => d.code === 'html-as-text').map((d) => `${d.line}: ${d.message}`);
    expect(warned).toEqual([
      '3: <h3> inside a sentence is kept as text (a block element cannot stand there)',
      '3: </em> closes nothing and is kept as text',
    ]);
  });

  it('keeps Markdown inside a <div> and the caption of a <figure> split by blank lines', () => {
    const chapter = docs.get('OEBPS/text-001.xhtml')!;
    expect(chapter).toMatch(/<div class="box" style="text-align: center">\s*<p>Markdown <em>inside<\/em> a div keeps its <strong>formatting<\/strong>\.<\/p>\s*<ul>/);
    expect(chapter).toMatch(/<figure id="fig-press"><img src="images\/press-[0-9a-f]{8}\.jpg" alt="A press" style="width: 50%" \/><figcaption>A press, written as an HTML figure with a blank line inside\.<\/figcaption>\s*<\/figure>/);
    expect(result.book.figures.map((f) => `${f.id} ${f.alt}`)).toEqual(['fig-press A press', 'fig-diagram The diagram as a Markdown image']);
  });

  it('sends raw <img> through the media registry: local images in every edition, remote ones nowhere', () => {
    const names = entries.filter((n) => n.startsWith('OEBPS/images/') && !n.endsWith('/epub-cover.jpg')).map((n) => n.replace(/-[0-9a-f]{8}\./, '.'));
    expect(names.sort()).toEqual(['OEBPS/images/diagram.svg', 'OEBPS/images/orange.jpg', 'OEBPS/images/press.jpg']);
    expect(fs.readdirSync(path.join(out, 'images')).map((n) => n.replace(/-[0-9a-f]{8}\./, '.')).sort()).toEqual(['diagram.svg', 'orange.jpg', 'press.jpg']);
    expect(web).toMatch(/with <img src="images\/orange-[0-9a-f]{8}\.jpg" alt="an orange dot" width="12" height="12"> inline/);
    for (const text of [web, ...docs.values()]) {
      expect(text).not.toContain('example.com');
      expect(text).not.toMatch(/<script|onerror|onload|javascript:/i);
    }
    expect(result.diags.warnings.filter((d) => d.code === 'remote-image').map((d) => d.line)).toEqual([23]);
  });

  it('turns presentational attributes into CSS', () => {
    const chapter = docs.get('OEBPS/text-001.xhtml')!;
    expect(chapter).toContain('<table style="width: 100%; border: 1px solid; background-color: #eeeeee" id="table">');
    expect(chapter).toContain('<td style="white-space: nowrap">1923</td>');
    expect(chapter).not.toMatch(/\s(align|bgcolor|border|cellpadding|valign|nowrap)="/);
    expect(chapter).not.toMatch(/<(?!img)[a-z]+ [^>]*\b(width|height)="/);
  });

  it('cleans SVG images: no DOCTYPE, no script, no outside reference, the drawing kept', () => {
    const svg = [...docs].find(([n]) => n.endsWith('.svg'))![1];
    expect(svg).not.toMatch(/DOCTYPE|<script|onload|xlink:href|example\.com/);
    expect(svg).toContain('<rect x="5" y="5" width="110" height="50" fill="#ddd" stroke="#333">');
    expect(svg).toContain('>drum</text>');
  });

  it('loses no word of the manuscript in the web edition', () => {
    const text = web.replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const words = source
      .replace(/<[a-z/][^>]*>/gi, ' ')
      .replace(/!\[[^\]]*\]\([^)]*\)|\{#[^}]*\}|[*#|-]/g, ' ')
      .split(/\s+/)
      .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
      .filter(Boolean);
    const missing = words.filter((w) => !text.includes(w));
    expect(missing).toEqual([]);
  });
});
