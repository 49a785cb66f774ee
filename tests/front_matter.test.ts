/**
 * Front matter as site generators write it (tests/fixtures/books/jekyll): book metadata from book.yaml,
 * keys samizdat does not read ignored with one warning each, a file's `title:` as its chapter heading
 * when it has none — so part and chapter titles held in front matter reach the contents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { prepare } from '../src/build.js';
import { copyBook, FIXTURES, runCli } from './helpers/book.js';

const JEKYLL = path.join(FIXTURES, 'books', 'jekyll');

describe('Jekyll-style front matter', () => {
  it('takes the book metadata from book.yaml and the first file\'s title as that file\'s heading', () => {
    const { book, diags } = prepare(JEKYLL);
    expect(book.meta.title).toBe('Field Notes');
    expect(book.meta.slug).toBe('field-notes');
    expect(book.chapters.map((c) => [c.title, c.source.file, c.source.line])).toEqual([
      ['Preface', 'manuscript/01-preface.md', 3],
      ['Part One: Walking', 'manuscript/02-part-one.md', 3],
      ['Paths & Desire Lines', 'manuscript/03-paths.md', 4],
      ['Gates and Stiles', 'manuscript/04-gates.md', 7],
    ]);
    expect(book.outline.map((s) => s.title)).toEqual(['Preface', 'Part One: Walking', 'Paths & Desire Lines', 'Gates and Stiles']);
    expect(book.outline[2]!.children.map((s) => s.title)).toEqual(['Cutting corners']);
    expect(diags.errors).toEqual([]);
    // One warning per key, at its first use, counting the other files (permalink is read: links by web address).
    const ignored = diags.warnings.filter((d) => d.code === 'ignored-front-matter').map((d) => `${d.file}:${d.line}: ${d.message}`);
    expect(ignored).toEqual([
      'manuscript/01-preface.md:2: front matter key "layout" is ignored (and in 3 more files): samizdat does not read it',
      'manuscript/01-preface.md:5: front matter key "last_modified_at" is ignored (and in 1 more file): samizdat does not read it',
      'manuscript/03-paths.md:3: front matter key "Title" is ignored: samizdat does not read it',
      'manuscript/03-paths.md:6: front matter key "date" is ignored: book metadata and options are read from book.yaml or the first manuscript file',
    ]);
  });

  it('without a title in book.yaml, the first file\'s title is the book\'s', () => {
    const dir = copyBook(JEKYLL);
    fs.writeFileSync(path.join(dir, 'book.yaml'), 'lang: en\n');
    const { book } = prepare(dir);
    expect(book.meta.title).toBe('Preface');
    expect(book.chapters[0]!.title).toBe('');
    expect(book.outline.map((s) => s.title)).toEqual(['Part One: Walking', 'Paths & Desire Lines', 'Gates and Stiles']);
  });

  it('puts the front-matter titles into the web edition\'s contents', async () => {
    const dir = copyBook(JEKYLL);
    const run = await runCli(['build', dir, '--format', 'html', '--quiet']);
    expect(run.code).toBe(0);
    const { document } = parseHTML(fs.readFileSync(path.join(dir, 'dist', 'field-notes.html'), 'utf8'));
    expect([...document.querySelectorAll('h1')].map((h) => h.textContent)).toEqual(['Field Notes', 'Preface', 'Part One: Walking', 'Paths & Desire Lines', 'Gates and Stiles']);
    const toc = [...document.querySelectorAll('nav a')].map((a) => a.textContent);
    expect(toc).toEqual(expect.arrayContaining(['Preface', 'Part One: Walking', 'Paths & Desire Lines', 'Gates and Stiles', 'Cutting corners']));
  });
});
