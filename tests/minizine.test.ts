/**
 * A mini-zine from end to end (real Chromium): with `pdf.impose: minizine` the book is laid out as a
 * zine — no title page or contents, chapters running on, front and back covers only — so that a short
 * text fits the eight panels of one sheet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBook, FIXTURES, runCli } from './helpers/book.js';

const pdftext = (file: string, page: number) =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).replace(/\u00ad/g, '');
const pages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);

let dist: string;

beforeAll(async () => {
  const book = copyBook(path.join(FIXTURES, 'books', 'minizine'));
  const run = await runCli(['build', book, '--format', 'pdf', '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  dist = path.join(book, 'dist');
}, 120_000);

describe('mini-zine', () => {
  it('writes the zine and its one-sheet imposition', () => {
    expect(fs.readdirSync(dist).sort()).toEqual(['fold-it-once-minizine.pdf', 'fold-it-once.pdf', 'manifest.json']);
    const sheet = path.join(dist, 'fold-it-once-minizine.pdf');
    expect(pages(sheet)).toBe(1);
    expect(execFileSync('pdfinfo', [sheet], { encoding: 'utf8' })).toMatch(/Page size:\s+841\.\d+ x 595\.\d+ pts/);
  });

  it('lays the text out as a zine: cover, running text, colophon at the end, back cover', () => {
    const zine = path.join(dist, 'fold-it-once.pdf');
    const n = pages(zine);
    expect(n).toBeLessThanOrEqual(8);
    expect(pdftext(zine, 1)).toContain('Fold It Once');
    expect(pdftext(zine, n)).toContain('Eight pages, one sheet, one cut.');
    const interior = Array.from({ length: n - 2 }, (_, i) => pdftext(zine, i + 2)).join('\n');
    // Chapters run on: all three on the interior pages, no title page, no contents.
    for (const h of ['Why fold', 'How', 'Share']) expect(interior).toContain(h);
    expect(n - 2).toBeLessThanOrEqual(3);
    expect(interior).not.toMatch(/Contents/);
    // The colophon closes the text, with the edition's facts.
    expect(interior).toMatch(/SHA-256/);
    expect(interior.indexOf('SHA-256')).toBeGreaterThan(interior.indexOf('Leave copies'));
    // The note stays at the foot of its page.
    expect(interior).toContain('About €0.10 at a copy shop.');
  });
});

describe('pdf.chapterStart', () => {
  it('page: chapters open on the next page, left or right, so no page is left blank for them', async () => {
    const book = copyBook(path.join(FIXTURES, 'pdf-book'));
    const build = async (start: string) => {
      fs.writeFileSync(path.join(book, 'book.yaml'), `pdf:\n  chapterStart: ${start}\n  cover: false\n`);
      const run = await runCli(['build', book, '--format', 'pdf', '--quiet']);
      expect(run.code, run.stderr).toBe(0);
      const file = path.join(book, 'dist', fs.readdirSync(path.join(book, 'dist')).find((f) => f.endsWith('.pdf'))!);
      const texts = Array.from({ length: pages(file) }, (_, i) => pdftext(file, i + 1).trim());
      return { count: texts.length, blank: texts.filter((t) => t === '').length };
    };
    const right = await build('right');
    const page = await build('page');
    expect(right.blank).toBeGreaterThan(0);
    expect(page.blank).toBe(0);
    expect(page.count).toBe(right.count - right.blank);
  }, 120_000);
});
