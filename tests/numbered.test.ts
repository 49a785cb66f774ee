/**
 * Numbered chapters (`# 1. Introduction`) with GitHub's ids, which begin with a digit, and a book
 * style that prints cross-references with target-counter() (tests/fixtures/books/numbered). Paged.js
 * 0.4.3 passes "#1-introduction" to querySelector, which throws; the patch escape-id-selector fixes
 * it. Without the patch the layout fails, and the failure must name the manuscript (issue 12, item 8).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { BuildError } from '../src/diagnostics.js';
import type { Section } from '../src/model/types.js';
import { Logger } from '../src/util/log.js';
import { copyBook, FIXTURES } from './helpers/book.js';
import { describeMessages, epubcheck } from './helpers/epubcheck.js';

const SRC = path.join(FIXTURES, 'books', 'numbered');
const flat = (ss: Section[]): Section[] => ss.flatMap((s) => [s, ...flat(s.children)]);

async function buildBook(dir: string, format: string, skip = ''): Promise<Awaited<ReturnType<typeof build>>> {
  const saved = process.env['SAMIZDAT_PAGEDJS_SKIP'];
  process.env['SAMIZDAT_PAGEDJS_SKIP'] = skip;
  try {
    return await build(dir, { format, out: path.join(dir, 'dist'), quiet: true, reproducible: true }, { log: new Logger(true) });
  } finally {
    if (saved === undefined) delete process.env['SAMIZDAT_PAGEDJS_SKIP'];
    else process.env['SAMIZDAT_PAGEDJS_SKIP'] = saved;
  }
}

async function failure(dir: string): Promise<string> {
  try {
    await buildBook(dir, 'pdf', 'escape-id-selector');
  } catch (e) {
    expect(e).toBeInstanceOf(BuildError);
    return (e as Error).message;
  }
  throw new Error('the build did not fail');
}

describe('numbered chapters with ids that begin with a digit', () => {
  let dir: string;
  let texts: string[];
  let outline: Section[];
  beforeAll(async () => {
    dir = copyBook(SRC);
    const r = await buildBook(dir, 'pdf,epub');
    outline = r.book.outline;
    texts = execFileSync('pdftotext', ['-layout', path.join(dir, 'dist', 'numbered-chapters.pdf'), '-'], { encoding: 'utf8' }).split('\f');
  }, 240_000);

  it('print, with the page numbers of the contents and of the cross-references right', () => {
    expect(flat(outline).map((s) => s.id)).toEqual(['1-introduction', '11-scope', '12-method', '2-results', '21-first-result', '22-second-result', '3-discussion']);
    const toc = texts.find((t) => /^\s*Contents\s*$/m.test(t))!;
    // Without covers the title page is PDF page 1, folio 1; every chapter starts a page of its own.
    const pageOfHeading = (title: string) => texts.findIndex((t, i) => i > texts.indexOf(toc) && new RegExp(`^${title.replace(/\./g, '\\.')}\\s*$`, 'm').test(t)) + 1;
    for (const s of flat(outline)) {
      const m = new RegExp(`^\\s*${s.title.replace(/\./g, '\\.')}\\s+(\\d+)\\s*$`, 'm').exec(toc);
      expect(m, s.title).not.toBeNull();
      expect(Number(m![1]), s.title).toBe(pageOfHeading(s.title));
    }
    const all = texts.join('\n').replace(/\s+/g, ' ');
    expect(all).toContain(`one chapter back (p. ${pageOfHeading('1. Introduction')})`);
    expect(all).toContain(`the second result (p. ${pageOfHeading('2.2 Second result')})`);
    expect(all).toContain(`the scope (p. ${pageOfHeading('1.1 Scope')})`);
  });

  it('make an EPUB that EPUBCheck passes', () => {
    const check = epubcheck(path.join(dir, 'dist', 'numbered-chapters.epub'));
    expect(describeMessages([...check.errors, ...check.warnings])).toEqual([]);
  });

  it('without the patch, the Paged.js failure names the heading whose id broke the selector', async () => {
    const message = await failure(copyBook(SRC));
    expect(message).toMatch(/^Paged\.js failed while laying out page \d+ of the PDF, at manuscript\/0\d\.md:\d+(–\d+)? \((the block it was laying out|the text of that page)\); the selector "#1-introduction" is the id of the heading at manuscript\/01\.md:1: SyntaxError/);
    expect(message).not.toContain('styles/print.css');
  }, 120_000);

  it('without the patch and without front matter, the failure names the block on the page that broke', async () => {
    const book = copyBook(SRC);
    fs.appendFileSync(path.join(book, 'book.yaml'), '  frontMatter: false\n');
    const message = await failure(book);
    // The first cross-reference to "#1-…" is in 02.md (9 lines): its page is the one that breaks.
    const at = /, at (manuscript\/[^:]+):(\d+)(?:–\d+)? \(the text of that page\)/.exec(message);
    expect(at?.[1], message).toBe('manuscript/02.md');
    expect(Number(at![2])).toBeGreaterThanOrEqual(1);
    expect(Number(at![2])).toBeLessThanOrEqual(fs.readFileSync(path.join(SRC, 'manuscript', '02.md'), 'utf8').split('\n').length);
  }, 120_000);
});
