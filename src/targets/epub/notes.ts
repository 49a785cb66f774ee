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
import { escapeHtml } from '../../render/base.js';

export function renderAside(book: Book, n: number, file: string, index: DocIndex, r: BookRenderer, labels: Labels): string {
  const note = book.notes.find((x) => x.number === n);
  if (!note) return '';
  const calls = Math.max(1, note.calls);
  const first = `<a class="note-number" role="doc-backlink" href="${callHref(index, file, n, 0)}" title="${escapeHtml(labels.backToText)}">${n}.</a> `;
  let body = r.render(note.tokens).trim();
  body = body.startsWith('<p>') ? `<p>${first}${body.slice(3)}` : `<p>${first}</p>\n${body}`;
  const more = Array.from({ length: calls - 1 }, (_, k) =>
    `<a role="doc-backlink" href="${callHref(index, file, n, k + 1)}" title="${escapeHtml(labels.backToText)}">↩\u{FE0E}${k + 2}</a>`,
  ).join(' ');
  return `<aside epub:type="footnote" role="doc-footnote" id="${noteId(n)}" class="note">\n${body}${more ? `\n<p class="note-backlinks">${more}</p>` : ''}\n</aside>`;
}

/**
 * The notes a document holds as an endnotes section with a heading in the book's language (`level`:
 * the heading's rank, one below the document's own heading), or '' when it holds none. Each note
 * stays an `aside epub:type="footnote"`, so reading systems that pop notes up still do.
 */
export function notesBlock(book: Book, file: string, index: DocIndex, r: BookRenderer, labels: Labels, level = 2): string {
  const numbers = index.notesIn.get(file) ?? [];
  if (numbers.length === 0) return '';
  const h = `h${Math.min(6, Math.max(1, level))}`;
  const id = `notes-${numbers[0]}`;
  return `<section class="footnotes" epub:type="endnotes" role="doc-endnotes" aria-labelledby="${id}">
<${h} class="notes-title" id="${id}">${escapeHtml(labels.notes)}</${h}>
${noteAsides(book, file, index, r, labels)}
</section>`;
}

/** The asides of the notes a document holds, in order. */
export function noteAsides(book: Book, file: string, index: DocIndex, r: BookRenderer, labels: Labels): string {
  return (index.notesIn.get(file) ?? []).map((n) => renderAside(book, n, file, index, r, labels)).join('\n');
}
