/** The colophon's facts, the same in every output: who, what edition, from which sources, built how. */
import type { Book } from '../model/types.js';
import { escapeHtml } from './base.js';
import { labelsFor } from '../i18n/labels.js';

export interface ColophonLine {
  label: string;
  value: string;
}

/**
 * Each fact once, named in the book's language. `identifier`: the one the edition carries when the
 * manuscript names none (the EPUB's derived urn:uuid).
 */
export function colophonLines(book: Book, engines: Record<string, string> = {}, identifier = book.meta.identifier): ColophonLine[] {
  const m = book.meta;
  const f = labelsFor(m.lang).facts;
  const v = { ...book.edition.versions, ...engines };
  const built = ['samizdat', 'markdown-it', 'pagedjs', 'chromium', 'epub-gen-memory', 'sharp']
    .filter((k) => v[k])
    .map((k) => `${k} ${v[k]}`)
    .join(', ');
  const lines: ColophonLine[] = [
    { label: f.title, value: m.subtitle ? `${m.title}: ${m.subtitle}` : m.title },
  ];
  if (m.authors.length) lines.push({ label: m.authors.length > 1 ? f.authors : f.author, value: m.authors.join(', ') });
  if (m.publisher) lines.push({ label: f.publisher, value: m.publisher });
  if (m.date) lines.push({ label: f.date, value: m.date });
  if (identifier) lines.push({ label: f.identifier, value: identifier });
  if (m.rights) lines.push({ label: f.rights, value: m.rights });
  lines.push({ label: f.sources, value: `SHA-256 ${book.edition.sourcesSha256}` });
  lines.push({ label: f.builtWith, value: built });
  return lines;
}

/** The colophon as an HTML definition list (XHTML-safe). */
export function colophonHtml(book: Book, engines: Record<string, string> = {}, identifier?: string): string {
  const rows = colophonLines(book, engines, identifier ?? book.meta.identifier)
    // Each value isolated: a hash or a version stays left to right inside a right-to-left book.
    .map((l) => `<dt>${escapeHtml(l.label)}</dt><dd><bdi>${escapeHtml(l.value)}</bdi></dd>`)
    .join('\n');
  return `<dl class="colophon-facts">\n${rows}\n</dl>`;
}
