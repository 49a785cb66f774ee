/** The command line, run on temporary copies of book folders. */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { copyBook, FIXTURES, listFiles, REPO, runCli } from './helpers/book.js';

describe('samizdat build --format html', () => {
  it('writes the web edition named from the slug, with its images beside it', async () => {
    const book = copyBook(path.join(FIXTURES, 'books', 'paths'));
    const run = await runCli(['build', book, '--format', 'html']);
    expect(run.code).toBe(0);
    const files = listFiles(path.join(book, 'dist'));
    expect(files.filter((f) => !f.startsWith('images/'))).toEqual(['manifest.json', 'two-ways.html']);
    expect(files.filter((f) => f.startsWith('images/')).map((f) => f.replace(/-[0-9a-f]{8}\./, '.'))).toEqual(['images/one.jpg', 'images/two.jpg']);
    const html = fs.readFileSync(path.join(book, 'dist', 'two-ways.html'), 'utf8');
    const { document } = parseHTML(html);
    expect(document.documentElement.getAttribute('lang')).toBe('en-GB');
    const figures = [...document.querySelectorAll('figure')];
    expect(figures.map((f) => f.querySelector('figcaption')?.textContent)).toEqual(['Green. Photo: the tests.', 'An orange field']);
    for (const img of document.querySelectorAll('img')) {
      expect(fs.existsSync(path.join(book, 'dist', img.getAttribute('src')!))).toBe(true);
    }
    expect(document.querySelector('p > img')?.getAttribute('alt')).toBe('small');
    expect(document.querySelector('style')?.textContent).toContain('--text-font');
    expect(document.querySelector('meta[name="author"]')?.getAttribute('content')).toBe('First Author, Second Author');
  });

  it('writes into --out and leaves no staging folder behind', async () => {
    const book = copyBook(path.join(FIXTURES, 'books', 'paths'));
    const out = path.join(path.dirname(book), 'elsewhere');
    const run = await runCli(['build', book, '--out', out, '--format', 'html', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(fs.readdirSync(out).sort()).toEqual(['images', 'manifest.json', 'two-ways.html']);
    expect(fs.existsSync(path.join(book, 'dist'))).toBe(false);
  });

  it('refuses an unknown format', async () => {
    const book = copyBook(path.join(FIXTURES, 'books', 'paths'));
    const run = await runCli(['build', book, '--format', 'docx']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown format "docx"');
    expect(fs.existsSync(path.join(book, 'dist'))).toBe(false);
  });
});

describe('bin/samizdat.js check', () => {
  it('exits non-zero on a broken footnote and names the file and line', () => {
    const book = copyBook(path.join(FIXTURES, 'diagnostics', 'missing-note'));
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'samizdat.js'), 'check', book], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('manuscript/01.md:9: error: footnote reference [^ghost] has no definition');
    expect(fs.existsSync(path.join(book, 'dist'))).toBe(false);
  });

  it('passes the sample book', () => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'samizdat.js'), 'check', REPO], { encoding: 'utf8' });
    expect(r.stderr).toContain('check: no errors');
    expect(r.status).toBe(0);
  });
});
