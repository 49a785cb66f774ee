/**
 * Limits that hold: hyphenation linear in the word length, the browser's protocol timeout from
 * pdf.timeout, and strings no line can hold (a 96-character hash, a URL, a word of thousands of
 * letters) printed whole, inside the page, read back from the PDF with poppler.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { boundedHyphenator, hyphenatorFor, MAX_HYPHENATED_WORD } from '../src/targets/pdf/hyphenate.js';
import { launchOptions } from '../src/targets/pdf/chrome.js';
import { breakLongWords } from '../src/targets/pdf/rules.js';
import { runCli } from './helpers/book.js';
import { parseToUnicode, repairContent } from '../src/targets/pdf/actual_text.js';

describe('hyphenation is linear in the word length', () => {
  const hyphenate = hyphenatorFor('en')!;

  it('leaves a 5 MB paragraph without spaces alone, at once', () => {
    const huge = 'abcdefghij'.repeat(500_000);
    const started = performance.now();
    expect(hyphenate(huge)).toBe(huge);
    // The pattern code took 101 s for 40,000 letters; a pass over 5 MB takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('hyphenates the ordinary words around a long one exactly as before', () => {
    const long = 'x'.repeat(MAX_HYPHENATED_WORD + 1);
    const plain = hyphenate('typographical considerations');
    expect(plain).toContain('\u00ad');
    expect(hyphenate(`typographical ${long} considerations`)).toBe(`${hyphenate('typographical')} ${long} ${hyphenate('considerations')}`);
    // A word of exactly the limit is still hyphenated.
    const calls: string[] = [];
    boundedHyphenator((t) => (calls.push(t), t))(`a ${'y'.repeat(MAX_HYPHENATED_WORD)} ${long}`);
    expect(calls).toEqual(['a', 'y'.repeat(MAX_HYPHENATED_WORD)]);
  });
});

describe('pdf.timeout governs every wait', () => {
  it("Puppeteer's protocol timeout (180 s by default) follows pdf.timeout", () => {
    for (const seconds of [30, 240, 3600]) {
      const o = launchOptions('/usr/bin/chromium', '/tmp/profile', seconds * 1000);
      expect(o.protocolTimeout).toBeGreaterThan(seconds * 1000);
      expect(o.timeout).toBe(seconds * 1000);
      expect(o.detached).toBe(true);
    }
  });
});

describe('strings no line can hold', () => {
  it('get a break opportunity every few characters, in print only', () => {
    expect(breakLongWords('a <b> c')).toBe('a &lt;b&gt; c');
    const long = 'é'.repeat(70);
    const html = breakLongWords(`x ${long} y`);
    expect(html).toMatch(/^x <span class="long-word">(<span>é{8}<\/span><wbr>){8}<span>é{6}<\/span><\/span> y$/);
  });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-long-'));
  const book = path.join(tmp, 'book');
  // Made here: a hash, a URL of 140 characters, and a word of 5,000 letters from a seeded generator.
  const hash = crypto.createHash('sha512').update('samizdat').digest('hex').slice(0, 96);
  const url = `https://example.org/${'segment/'.repeat(15)}end`;
  let seed = 7;
  const word = Array.from({ length: 5000 }, () => 'abcdefghijklmnopqrstuvwxyz'[(seed = (seed * 16807) % 2147483647) % 26]).join('');
  // And a periodic one, whose break-opportunity pieces are all equal (Paged.js resumed at the first equal
  // text node after a page break and dropped the rest): 4,000 capitals no other text on the pages has.
  const periodic = 'QZXJ'.repeat(1000);
  let text = '';
  let pages: { width: number; words: { xMax: number; text: string }[] }[] = [];

  beforeAll(async () => {
    fs.mkdirSync(path.join(book, 'manuscript'), { recursive: true });
    fs.writeFileSync(
      path.join(book, 'manuscript', '01.md'),
      `---\ntitle: Long Strings\nlang: en\npdf:\n  cover: false\n---\n\n# Strings\n\nThe hash is ${hash} and it ends here.\n\nA link: <${url}> ends.\n\n| key | value |\n| --- | --- |\n| hash | ${hash} |\n\nNext the word.\n\n${word}\n\nThe end.\n\n${periodic}\n\nAfter it.\n`,
    );
    const r = await runCli(['build', book, '--format', 'pdf', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pdf = path.join(book, 'dist', 'long-strings.pdf');
    text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
    pages = [...bbox.matchAll(/<page width="([\d.]+)"[^>]*>([\s\S]*?)<\/page>/g)].map((p) => ({
      width: Number(p[1]),
      words: [...p[2]!.matchAll(/<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((w) => ({ xMax: Number(w[1]), text: w[2]! })),
    }));
  }, 120_000);

  /** The text with everything that is not a letter or digit removed (line ends, page furniture stay). */
  const letters = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');

  it('prints the hash whole, in the paragraph and in the table cell', () => {
    const flat = letters(text);
    expect(flat.split(hash).length - 1).toBe(2);
    expect(letters(text)).toContain(letters(url));
    // The short cells keep their words: the long one does not squeeze them letter by letter.
    expect(text).toMatch(/\bkey\b/);
    expect(text).toMatch(/\bhash\b/);
  });

  it('prints every letter of the 5,000-letter word, in order, across page breaks', () => {
    // Between pages the running head and the folio come in between: cut those out by finding the word
    // piece by piece.
    const flat = letters(text);
    let at = flat.indexOf(word.slice(0, 40));
    expect(at).toBeGreaterThan(-1);
    let k = 0;
    let pieces = 0;
    while (k < word.length) {
      let n = 0;
      while (k + n < word.length && flat[at + n] === word[k + n]) n++;
      expect(n, `the word stops matching at letter ${k + n}`).toBeGreaterThan(20);
      k += n;
      pieces++;
      if (k < word.length) at = flat.indexOf(word.slice(k, k + 40), at + n);
      expect(at).toBeGreaterThan(-1);
    }
    expect(pieces).toBeGreaterThan(1); // it did cross a page break
  });

  it('prints every letter of a periodic 4,000-letter word, in order, across page breaks', () => {
    const lines = pages.flatMap((p) => p.words.map((w) => w.text)).filter((w) => /^[QZXJ]+$/.test(w));
    expect(lines.length).toBeGreaterThan(60); // many lines, over several pages
    expect(lines.join('')).toBe(periodic);
    expect(text).toContain('After it.');
  });

  it('keeps every word inside the page', () => {
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) for (const w of p.words) expect(w.xMax, w.text.slice(0, 30)).toBeLessThanOrEqual(p.width);
  });
});

describe('ligatures in the text layer', () => {
  const cmap = `/CIDInit /ProcSet findresource begin
2 beginbfchar
<007D> <00660069>
<0082> <006600660069>
endbfchar
1 beginbfrange
<0040> <0042> <0061>
endbfrange
endcmap`;

  it('reads ToUnicode entries, single and ranges', () => {
    const map = parseToUnicode(cmap);
    expect(map.get(0x7d)).toBe('fi');
    expect(map.get(0x82)).toBe('ffi');
    expect([map.get(0x40), map.get(0x41), map.get(0x42)]).toEqual(['a', 'b', 'c']);
  });

  it("replaces Chromium's cut-short ActualText of a ligature with the glyph's letters, and nothing else", () => {
    const fonts = new Map([['F6', parseToUnicode(cmap)]]);
    // As Chromium writes it for "fibre" at the top of a page: the fi glyph spanned with ActualText (f).
    const content = 'BT\n/Span << /ActualText (f) >> BDC\n/F6 13.3 Tf\n1 0 0 -1 55.9 929 Tm\n<007d> Tj\nEMC\nET\nBT /F6 13.3 Tf <0040> Tj ET\n/Span << /ActualText (x) >> BDC /F6 9 Tf <007d> Tj EMC\n';
    const r = repairContent(content, fonts);
    expect(r.repaired).toBe(1);
    expect(r.content).toBe(content.replace('/ActualText (f) >>', '/ActualText <FEFF00660069> >>'));
    // Already right, or not a prefix: left alone.
    expect(repairContent('/Span << /ActualText <FEFF00660069> >> BDC /F6 9 Tf <007d> Tj EMC', fonts).repaired).toBe(0);
  });
});
