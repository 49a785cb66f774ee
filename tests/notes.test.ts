/**
 * Footnotes in the web edition of tests/fixtures/books/notes: calls from text, quotes, lists and
 * captions, an inline note, a note called twice, two files with the same label.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { prepare } from '../src/build.js';
import { renderWebPage } from '../src/targets/html/page.js';
import { FIXTURES } from './helpers/book.js';

let doc: Document;

beforeAll(() => {
  const { book } = prepare(path.join(FIXTURES, 'books', 'notes'));
  doc = parseHTML(renderWebPage(book, '')).document as unknown as Document;
});

const calls = () => [...doc.querySelectorAll('a[role="doc-noteref"]')] as HTMLAnchorElement[];
const notes = () => [...doc.querySelectorAll('[role="doc-endnote"]')];

describe('footnote links', () => {
  it('every call reaches an existing note', () => {
    expect(calls().length).toBe(10);
    for (const a of calls()) {
      const target = doc.getElementById(a.getAttribute('href')!.slice(1));
      expect(target?.getAttribute('role')).toBe('doc-endnote');
      expect(target?.getAttribute('value')).toBe(a.textContent);
    }
  });

  it('every note links back to each of its calls', () => {
    for (const note of notes()) {
      const backs = [...note.querySelectorAll('a[role="doc-backlink"]')];
      expect(backs.length).toBeGreaterThan(0);
      for (const b of backs) {
        const call = doc.getElementById(b.getAttribute('href')!.slice(1));
        expect(call?.getAttribute('href')).toBe(`#${note.id}`);
      }
    }
  });

  it('numbers notes by first reference across the whole book', () => {
    expect(calls().map((a) => a.textContent)).toEqual(['1', '2', '3', '4', '5', '1', '6', '7', '8', '9']);
    expect(notes().map((n) => n.getAttribute('value'))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('finds calls inside quotes, lists and captions', () => {
    expect(doc.querySelector('blockquote > p a[role="doc-noteref"]')?.textContent).toBe('3');
    expect(doc.querySelector('blockquote li a[role="doc-noteref"]')?.textContent).toBe('4');
    expect(doc.querySelector('figcaption a[role="doc-noteref"]')?.textContent).toBe('5');
    expect(doc.querySelector('ol > li a[role="doc-noteref"]')?.textContent).toBe('7');
    expect(doc.getElementById('note-5')?.textContent).toContain('Called from a caption.');
  });

  it('renders a label used twice as one note with two back-links', () => {
    const first = doc.getElementById('note-1')!;
    expect(first.textContent).toContain('The plain note.');
    expect(first.querySelectorAll('a[role="doc-backlink"]').length).toBe(2);
    expect(doc.body.textContent!.split('The plain note.').length - 1).toBe(1);
  });

  it('keeps both paragraphs of a long note, an inline note, and per-file labels apart', () => {
    expect(doc.getElementById('note-6')!.querySelectorAll('p:not(.backrefs)').length).toBe(2);
    expect(doc.getElementById('note-2')!.textContent).toContain('Inline notes are numbered like the rest.');
    expect(doc.getElementById('note-9')!.textContent).toContain('Same label as in the first file');
  });

  it('typesets note bodies like the text: quotes, dashes, attributes', () => {
    expect(doc.getElementById('note-7')!.textContent).toContain('Called from a list item, “typeset” – with слово.');
    expect(doc.querySelector('#note-7 span[lang="ru"]')?.textContent).toBe('слово');
    expect(doc.getElementById('note-2')!.textContent).toContain('“Quoted” – слово.');
    expect(doc.querySelector('#note-2 span[lang="ru"]')?.textContent).toBe('слово');
  });
});
