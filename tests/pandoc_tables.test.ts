/**
 * Pandoc's table syntaxes (issue 12, item 6) on tests/fixtures/books/pandoc: grid tables (with lists
 * and two paragraphs in cells, colons for alignment, headerless), simple tables (with and without a
 * header), multiline tables, pipe tables, captions before and after (`:` and `Table:`), implicit header
 * references. Expected cells and alignments are read off the manuscript by hand (Pandoc's rules: where
 * the header text sits over its dashes). Then one real build: EPUBCheck, and the PDF's text layer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DOMParser } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { createParser } from '../src/parse/markdown.js';
import type { ParseEnv } from '../src/parse/env.js';
import { Diagnostics } from '../src/diagnostics.js';
import { IdRegistry } from '../src/util/slug.js';
import { Logger } from '../src/util/log.js';
import { copyBook, FIXTURES } from './helpers/book.js';
import { describeMessages, epubcheck } from './helpers/epubcheck.js';
import { pdfWords } from './helpers/pdf_pages.js';

const SRC = path.join(FIXTURES, 'books', 'pandoc');
const TEXT = fs.readFileSync(path.join(SRC, 'manuscript', '01-tables.md'), 'utf8');

interface Seen {
  caption?: string;
  head: string[];
  rows: string[][];
  aligns: string[];
}

function tables(): Seen[] {
  const env: ParseEnv = { file: 'manuscript/01-tables.md', lines: TEXT.split('\n'), diags: new Diagnostics(), ids: new IdRegistry() };
  const html = createParser('en').render(TEXT, env);
  const doc = new DOMParser().parseFromString(`<!DOCTYPE html><html><body>${html}</body></html>`, 'text/html') as unknown as Document;
  const text = (e: Element) => (e.textContent ?? '').replace(/\s+/g, ' ').trim();
  return Array.from(doc.querySelectorAll('table')).map((t) => {
    const firstRow = t.querySelector('tr')!;
    return {
      caption: t.querySelector('caption') ? text(t.querySelector('caption')!) : undefined,
      head: Array.from(t.querySelectorAll('thead th')).map(text),
      rows: Array.from(t.querySelectorAll('tbody tr')).map((r) => Array.from(r.querySelectorAll('td')).map(text)),
      aligns: Array.from(firstRow.children).map((c) => /text-align:\s*(\w+)/.exec(c.getAttribute('style') ?? '')?.[1] ?? ''),
    };
  });
}

describe('Pandoc tables', () => {
  it('reads grid, simple, multiline and pipe tables with their captions', () => {
    const seen = tables();
    expect(seen).toHaveLength(6);
    expect(seen[0]).toEqual({
      caption: 'Fruit for the long winter issue',
      head: ['Fruit', 'Price', 'Advantages'],
      rows: [['Bananas', '$1.34', 'built-in wrapper bright color'], ['Oranges', '$2.10', 'cures scurvy tasty']],
      aligns: ['', '', ''],
    });
    // Headerless grid table: alignment from the colons of its top border.
    expect(seen[1]).toEqual({ caption: undefined, head: [], rows: [['Right', 'Left', 'Centered'], ['1.5', 'Two paragraphs in one cell.', 'ink']], aligns: ['right', 'left', 'center'] });
    expect(seen[2]).toEqual({
      caption: 'Demonstration of simple table syntax.',
      head: ['Right', 'Left', 'Center', 'Default'],
      rows: [['12', '12', '12', '12'], ['123', '123', '123', '123'], ['1', '1', '1', '1']],
      aligns: ['right', 'left', 'center', ''],
    });
    // Headerless simple table: alignment from its first row (the last column's 12 ends past its dashes).
    expect(seen[3]).toEqual({ caption: undefined, head: [], rows: [['12', '12', '12', '12'], ['123', '123', '123', '123']], aligns: ['right', 'left', 'center', 'right'] });
    expect(seen[4]).toEqual({
      caption: 'Here’s the caption. It, too, may span multiple lines.',
      head: ['Centered Header', 'Default Aligned', 'Right Aligned', 'Left Aligned'],
      rows: [
        ['First', 'row', '12.0', 'Example of a row that spans multiple lines.'],
        ['Second', 'row', '5.0', 'Here’s another one. Note the blank line between rows.'],
      ],
      aligns: ['center', '', 'right', 'left'],
    });
    expect(seen[5]).toEqual({ caption: 'Duplicators and what they printed', head: ['Press', 'Pages'], rows: [['Gestetner', '48'], ['Risograph', '120']], aligns: ['left', 'right'] });
  });

  it('leaves no table syntax behind as text', () => {
    const env: ParseEnv = { file: 'x.md', lines: TEXT.split('\n'), diags: new Diagnostics(), ids: new IdRegistry() };
    const html = createParser('en').render(TEXT, env);
    const outside = html.replace(/<table[\s\S]*?<\/table>/g, '');
    expect(outside).not.toMatch(/\+-{3}|-{5}|={5}|Table:|±/);
  });

  describe('built', () => {
    let dist: string;
    beforeAll(async () => {
      const dir = copyBook(SRC);
      dist = path.join(dir, 'dist');
      await build(dir, { format: 'pdf,epub', out: dist, quiet: true, reproducible: true }, { log: new Logger(true) });
    }, 240_000);

    it('EPUB: EPUBCheck finds nothing', () => {
      const check = epubcheck(path.join(dist, 'tables-as-pandoc-writes-them.epub'));
      expect(describeMessages([...check.errors, ...check.warnings])).toEqual([]);
    });

    it('PDF: every caption and cell is in the text layer, inside the text block', () => {
      const file = path.join(dist, 'tables-as-pandoc-writes-them.pdf');
      const printed = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      for (const t of tables()) {
        for (const s of [t.caption ?? '', ...t.head, ...t.rows.flat()]) expect(printed.replace(/- /g, '')).toContain(s.replace(/- /g, ''));
      }
      // A5 by hand: 148 mm, margins 17.76 mm inside and 14.8 mm outside; odd pages are right-hand pages.
      const pt = (mm: number) => (mm * 72) / 25.4;
      const pages = execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)![1];
      for (let p = 1; p <= Number(pages); p++) {
        const [left, right] = p % 2 === 1 ? [pt(17.76), pt(148 - 14.8)] : [pt(14.8), pt(148 - 17.76)];
        for (const w of pdfWords(file, p)) {
          expect(w.xMin, `page ${p}: ${w.text}`).toBeGreaterThanOrEqual(left - 1);
          expect(w.xMax, `page ${p}: ${w.text}`).toBeLessThanOrEqual(right + 1);
        }
      }
    });
  });
});
