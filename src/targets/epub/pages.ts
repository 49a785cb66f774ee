/** The documents samizdat adds around the text: cover, title page, notes (book mode) and colophon. */
import type { Book } from '../../model/types.js';
import { escapeHtml } from '../../render/base.js';
import { colophonHtml } from '../../render/colophon.js';
import { typefaceLine, type Labels } from '../../i18n/labels.js';
import { xhtmlDocument, withXmlLang } from './xhtml.js';
import { coverAlt } from './cover.js';

export const COVER_FILE = 'cover.xhtml';
export const TITLE_FILE = 'titlepage.xhtml';
export const NOTES_FILE = 'notes.xhtml';
export const COLOPHON_FILE = 'colophon.xhtml';

const e = escapeHtml;

export function coverPage(book: Book, labels: Labels, imageHref: string): string {
  const body = `<section epub:type="cover" class="cover" aria-label="${e(labels.cover)}">
<img src="${e(imageHref)}" alt="${e(coverAlt(book, labels.cover))}" />
</section>`;
  return xhtmlDocument({ lang: book.meta.lang, dir: book.meta.dir, title: labels.cover, body, bodyType: 'cover' });
}

export function titlePage(book: Book, labels: Labels, pageBreaks: { start: string; end: string } = { start: '', end: '' }): string {
  const m = book.meta;
  const body = `<section epub:type="titlepage" class="titlepage" aria-label="${e(labels.titlePage)}">
${pageBreaks.start}<h1 class="title">${e(m.title)}</h1>
${m.subtitle ? `<p class="subtitle">${e(m.subtitle)}</p>\n` : ''}${m.authors.length ? `<p class="authors">${m.authors.map(e).join('<br />')}</p>\n` : ''}${m.publisher ? `<p class="publisher">${e(m.publisher)}</p>\n` : ''}${pageBreaks.end}</section>`;
  return xhtmlDocument({ lang: m.lang, dir: m.dir, title: m.title, body, bodyType: 'frontmatter' });
}

export function notesPage(book: Book, labels: Labels, asides: string): string {
  const body = `<section class="notes" epub:type="endnotes" role="doc-endnotes" aria-labelledby="notes-title">
<h1 id="notes-title">${e(labels.notes)}</h1>
${withXmlLang(asides)}
</section>`;
  return xhtmlDocument({ lang: book.meta.lang, dir: book.meta.dir, title: labels.notes, body, bodyType: 'backmatter' });
}

export function colophonPage(book: Book, labels: Labels, facts: { identifier: string; fonts: string[]; engines: Record<string, string> }): string {
  const m = book.meta;
  // Every fact once: the shared list of facts, then what only this edition has (its typeface).
  const lines = [colophonHtml(book, facts.engines, facts.identifier), facts.fonts.length ? `<p>${e(typefaceLine(labels, facts.fonts))}</p>` : ''].filter(Boolean);
  const body = `<section epub:type="colophon" role="doc-colophon" class="colophon" aria-label="${e(labels.colophon)}">
${lines.join('\n')}
</section>`;
  return xhtmlDocument({ lang: m.lang, dir: m.dir, title: labels.colophon, body, bodyType: 'backmatter' });
}

/** A content document of the text: its section, then the notes it holds. */
export function textPage(book: Book, title: string, level: number, html: string, notes: string, first: boolean, id?: string): string {
  const kind = level === 1 ? ' epub:type="chapter" role="doc-chapter"' : '';
  const body = `<section class="${level === 1 ? 'chapter' : 'section'}"${id ? ` id="${e(id)}"` : ''}${kind}>
${withXmlLang(html).trim()}
${notes ? withXmlLang(notes) + '\n' : ''}</section>`;
  return xhtmlDocument({ lang: book.meta.lang, dir: book.meta.dir, title, body, bodyType: first ? 'bodymatter' : undefined });
}
