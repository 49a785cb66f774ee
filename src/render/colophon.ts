/** The colophon's facts, the same in every output: who, what edition, from which sources, built how. */
import type { Book } from '../model/types.js';
import { escapeHtml } from './base.js';

export interface ColophonLine {
  label: string;
  value: string;
}

export function colophonLines(book: Book, engines: Record<string, string> = {}): ColophonLine[] {
  const m = book.meta;
  const v = { ...book.edition.versions, ...engines };
  const built = ['samizdat', 'markdown-it', 'pagedjs', 'chromium', 'epub-gen-memory', 'sharp']
    .filter((k) => v[k])
    .map((k) => `${k} ${v[k]}`)
    .join(', ');
  const lines: ColophonLine[] = [
    { label: 'Title', value: m.subtitle ? `${m.title}: ${m.subtitle}` : m.title },
  ];
  if (m.authors.length) lines.push({ label: m.authors.length > 1 ? 'Authors' : 'Author', value: m.authors.join(', ') });
  if (m.publisher) lines.push({ label: 'Publisher', value: m.publisher });
  if (m.date) lines.push({ label: 'Edition date', value: m.date });
  if (m.identifier) lines.push({ label: 'Identifier', value: m.identifier });
  if (m.rights) lines.push({ label: 'Rights', value: m.rights });
  lines.push({ label: 'Sources', value: `SHA-256 ${book.edition.sourcesSha256}` });
  lines.push({ label: 'Built with', value: built });
  return lines;
}

/** The colophon as an HTML definition list (XHTML-safe). */
export function colophonHtml(book: Book, engines: Record<string, string> = {}): string {
  const rows = colophonLines(book, engines)
    .map((l) => `<dt>${escapeHtml(l.label)}</dt><dd>${escapeHtml(l.value)}</dd>`)
    .join('\n');
  return `<dl class="colophon-facts">\n${rows}\n</dl>`;
}
