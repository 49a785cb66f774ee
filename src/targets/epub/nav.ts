/**
 * Navigation: the EPUB 3 navigation document (nested contents + landmarks) and the EPUB 2 toc.ncx
 * for older reading systems. Both list the outline's sections with links to `file#id`.
 */
import type { Book, Section } from '../../model/types.js';
import { escapeHtml } from '../../render/base.js';
import type { DocIndex, EpubDoc } from './chapters.js';
import type { Labels } from '../../i18n/labels.js';
import { xhtmlDocument } from './xhtml.js';

export const NAV_FILE = 'toc.xhtml';

export interface NavEntry {
  title: string;
  href: string;
  children: NavEntry[];
}

/**
 * Nav entries from the outline; documents without a heading are listed by their title. `lead`: an
 * entry for the text before the first heading (the book's title as the first document's heading).
 */
export function navEntries(book: Book, docs: EpubDoc[], index: DocIndex, lead?: NavEntry): NavEntry[] {
  const toEntry = (s: Section): NavEntry | undefined => {
    const file = index.fileOfId.get(s.id);
    if (!file) return undefined;
    return { title: s.title || s.id, href: `${file}#${s.id}`, children: s.children.map(toEntry).filter((x): x is NavEntry => !!x) };
  };
  const entries = book.outline.map(toEntry).filter((x): x is NavEntry => !!x);
  const rest = entries.length > 0 ? entries : docs.slice(lead ? 1 : 0).map((d) => ({ title: d.title, href: d.file, children: [] }));
  return lead ? [lead, ...rest] : rest;
}

function navList(entries: NavEntry[], indent: string): string {
  const items = entries.map((e) => {
    const kids = e.children.length ? `\n${navList(e.children, indent + '  ')}\n${indent}  ` : '';
    return `${indent}  <li><a href="${escapeHtml(e.href)}">${escapeHtml(e.title)}</a>${kids}</li>`;
  });
  return `${indent}<ol>\n${items.join('\n')}\n${indent}</ol>`;
}

export interface Landmark {
  type: string;
  href: string;
  title: string;
}

/** `pageBreaks`: markers of the print edition's contents pages, before the contents. */
export function navDocument(lang: string, dir: 'ltr' | 'rtl', labels: Labels, entries: NavEntry[], landmarks: Landmark[], extra: NavEntry[], pageList = '', pageBreaks = ''): string {
  const all = [...entries, ...extra];
  const body = `${pageBreaks ? `<div class="print-pages">${pageBreaks}</div>\n` : ''}<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">
<h1 id="toc-title">${escapeHtml(labels.contents)}</h1>
${navList(all, '')}
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden" aria-label="${escapeHtml(labels.landmarks)}">
<ol>
${landmarks.map((l) => `  <li><a epub:type="${l.type}" href="${escapeHtml(l.href)}">${escapeHtml(l.title)}</a></li>`).join('\n')}
</ol>
</nav>${pageList ? `\n${pageList}` : ''}`;
  return xhtmlDocument({ lang, dir, title: labels.contents, body, bodyType: 'frontmatter' });
}

/** toc.ncx for EPUB 2 reading systems; `pages`: the page list of the print edition, when there is one. */
export function ncxDocument(identifier: string, title: string, entries: NavEntry[], pages: { folio: number; href: string }[] = [], pageListLabel = ''): string {
  let order = 0;
  let depth = 0;
  const points = (list: NavEntry[], level: number, indent: string): string =>
    list
      .map((e) => {
        order++;
        depth = Math.max(depth, level);
        const n = order;
        const kids = e.children.length ? `\n${points(e.children, level + 1, indent + '  ')}` : '';
        return `${indent}<navPoint id="navpoint-${n}" playOrder="${n}">
${indent}  <navLabel><text>${escapeHtml(e.title)}</text></navLabel>
${indent}  <content src="${escapeHtml(e.href)}" />${kids}
${indent}</navPoint>`;
      })
      .join('\n');
  const map = points(entries, 1, '    ');
  const pageList = pages.length
    ? `\n  <pageList>
    <navLabel><text>${escapeHtml(pageListLabel)}</text></navLabel>
${pages
  .map((p) => {
    order++;
    return `    <pageTarget id="pagetarget-${p.folio}" type="normal" value="${p.folio}" playOrder="${order}">
      <navLabel><text>${p.folio}</text></navLabel>
      <content src="${escapeHtml(p.href)}" />
    </pageTarget>`;
  })
  .join('\n')}
  </pageList>`
    : '';
  const maxPage = pages.reduce((m, p) => Math.max(m, p.folio), 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head>
    <meta name="dtb:uid" content="${escapeHtml(identifier)}" />
    <meta name="dtb:depth" content="${depth}" />
    <meta name="dtb:totalPageCount" content="${pages.length}" />
    <meta name="dtb:maxPageNumber" content="${maxPage}" />
  </head>
  <docTitle><text>${escapeHtml(title)}</text></docTitle>
  <navMap>
${map}
  </navMap>${pageList}
</ncx>
`;
}
