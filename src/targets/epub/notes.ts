/**
 * EPUB 3 notes: one <aside epub:type="footnote"> per note, numbered book-wide, each linking back to
 * every call. In 'chapter' mode they close the document that first calls them; in 'book' mode they
 * all go into a notes document at the end.
 */
import type { Book } from '../../model/types.js';
import type { BookRenderer } from '../../render/base.js';
import type { DocIndex } from './chapters.js';
import { callHref, noteId } from './rules.js';
import type { Labels } from '../../i18n/labels.js';

export function renderAside(book: Book, n: number, file: string, index: DocIndex, r: BookRenderer, labels: Labels): string {
  const note = book.notes.find((x) => x.number === n);
  if (!note) return '';
  const calls = Math.max(1, note.calls);
  const first = `<a class="note-number" role="doc-backlink" href="${callHref(index, file, n, 0)}" title="${labels.backToText}">${n}.</a> `;
  let body = r.render(note.tokens).trim();
  body = body.startsWith('<p>') ? `<p>${first}${body.slice(3)}` : `<p>${first}</p>\n${body}`;
  const more = Array.from({ length: calls - 1 }, (_, k) =>
    `<a role="doc-backlink" href="${callHref(index, file, n, k + 1)}" title="${labels.backToText}">↩\u{FE0E}${k + 2}</a>`,
  ).join(' ');
  return `<aside epub:type="footnote" role="doc-footnote" id="${noteId(n)}" class="note">\n${body}${more ? `\n<p class="note-backlinks">${more}</p>` : ''}\n</aside>`;
}

/** The asides a document holds, or '' when it holds none. */
export function notesBlock(book: Book, file: string, index: DocIndex, r: BookRenderer, labels: Labels): string {
  const numbers = index.notesIn.get(file) ?? [];
  if (numbers.length === 0) return '';
  return `<div class="footnotes">\n${numbers.map((n) => renderAside(book, n, file, index, r, labels)).join('\n')}\n</div>`;
}
