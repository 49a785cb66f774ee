/** The sample book's structure, read back from its web edition. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { prepare } from '../src/build.js';
import { renderWebPage } from '../src/targets/html/page.js';
import type { Book } from '../src/model/types.js';
import { REPO } from './helpers/book.js';

let book: Book;
let doc: Document;

beforeAll(() => {
  book = prepare(REPO).book;
  doc = parseHTML(renderWebPage(book, '')).document as unknown as Document;
});

describe('the sample book', () => {
  it('keeps the manuscript order of its sections', () => {
    const fromSource = fs
      .readdirSync(path.join(REPO, 'manuscript'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .flatMap((f) =>
        fs
          .readFileSync(path.join(REPO, 'manuscript', f), 'utf8')
          .split('\n')
          .filter((l) => /^# /.test(l))
          .map((l) => l.slice(2).replace(/\s*\{[^}]*\}\s*$/, '').trim()),
      );
    const rendered = [...doc.querySelectorAll('main h1')].map((h) => h.textContent!.trim());
    expect(rendered.length).toBeGreaterThanOrEqual(5);
    expect(rendered.map((t) => t.replace(/[“”‘’]/g, "'"))).toEqual(fromSource.map((t) => t.replace(/["“”‘’]/g, "'")));
    expect(book.chapters.map((c) => c.title)).toEqual(rendered);
  });

  it('gives every heading a unique id', () => {
    const ids = [...doc.querySelectorAll('h1[id], h2[id], h3[id], h4[id]')].map((h) => h.id);
    expect(ids.length).toBe(doc.querySelectorAll('h1, h2, h3, h4').length - 1); // the title block's h1 has none
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('captions every figure and keeps the alt text', () => {
    const figures = [...doc.querySelectorAll('figure')];
    expect(figures.length).toBeGreaterThanOrEqual(6);
    expect(figures.length).toBe(book.figures.length);
    for (const [i, fig] of figures.entries()) {
      const img = fig.querySelector('img')!;
      const model = book.figures[i]!;
      expect(img.getAttribute('alt')).toBe(model.alt);
      expect(model.alt.length).toBeGreaterThan(10);
      const caption = fig.querySelector('figcaption')!.textContent!;
      expect(caption).toBe(model.caption);
      expect(caption).toMatch(/(Photo|Illustration|Drawing)[^:]*: /);
    }
  });

  it('has the features a long read needs', () => {
    const text = doc.querySelector('main')!.textContent!;
    const words = [...doc.querySelectorAll('main p, main li, main td, main dd, main dt, main figcaption')]
      .map((e) => e.textContent!)
      .join(' ')
      .split(/\s+/)
      .filter(Boolean).length;
    expect(words).toBeGreaterThan(3000);
    expect(book.notes.length).toBeGreaterThanOrEqual(5);
    expect(book.notes.some((n) => n.tokens.filter((t) => t.type === 'paragraph_open').length >= 2)).toBe(true);
    expect(doc.querySelectorAll('blockquote sup.noteref').length).toBeGreaterThanOrEqual(1);
    expect(doc.querySelectorAll('blockquote ul, blockquote ol').length).toBeGreaterThanOrEqual(1);
    expect(doc.querySelectorAll('.question').length).toBeGreaterThanOrEqual(5);
    expect(doc.querySelectorAll('[lang="ru"]').length).toBeGreaterThanOrEqual(3);
    expect(doc.querySelector('ol[start="3"]')).not.toBeNull();
    expect(doc.querySelector('table')).not.toBeNull();
    expect(doc.querySelector('dl')).not.toBeNull();
    expect(text).toMatch(/[€£₽]/);
    expect(text).toMatch(/[“”]/);
    expect(text).toMatch(/—|–/);
    expect(text).not.toMatch(/(^|\s)"|"(\s|$)/);
    expect(book.outline.at(-1)!.title).toMatch(/Further reading/i);
  });
});
