/** The web edition's page: title block, contents, chapters, then the notes with links back. */
import type { Book, Section } from '../../model/types.js';
import type { ImageVariant } from '../../assets/images.js';
import { createRenderer, escapeHtml, type TargetRules } from '../../render/base.js';
import { htmlRules, noteId, noteRefId, webImagePath } from './rules.js';
import { colophonHtml } from '../../render/colophon.js';
import { labelsFor } from '../../i18n/labels.js';

function toc(sections: Section[]): string {
  if (sections.length === 0) return '';
  const items = sections
    .map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a>${toc(s.children.filter((c) => c.level <= 2))}</li>`)
    .join('\n');
  return `<ol>${items}</ol>`;
}

/**
 * With `variants`, images point at the variant files and carry the variants' pixel sizes (a view of the
 * book with sized copies of the assets; the book itself is left as it is for the other targets).
 */
function withVariants(book: Book, variants: Map<string, ImageVariant>): { book: Book; rules: TargetRules } {
  const assets = new Map(
    [...book.assets].map(([id, a]) => {
      const v = variants.get(id);
      return [id, v ? { ...a, width: v.width, height: v.height } : a] as const;
    }),
  );
  const rules: TargetRules = {
    ...htmlRules,
    assetUrl: (asset) => {
      const v = variants.get(asset.id);
      return v ? encodeURI(webImagePath(v)) : htmlRules.assetUrl(asset);
    },
  };
  return { book: { ...book, assets }, rules };
}

export function renderWebPage(book: Book, css: string, variants?: Map<string, ImageVariant>): string {
  const view = variants ? withVariants(book, variants) : { book, rules: htmlRules };
  const r = createRenderer(view.book, view.rules);
  const m = book.meta;
  const labels = labelsFor(m.lang);
  const chapters = book.chapters
    .map((ch) => `<section class="chapter" id="chapter-${ch.id}" aria-label="${escapeHtml(ch.title)}">\n${r.render(ch.tokens)}</section>`)
    .join('\n');
  const notes = book.notes
    .map((n) => {
      const backs = Array.from({ length: n.calls }, (_, k) =>
        `<a href="#${noteRefId(n.number, k)}" class="backref" role="doc-backlink" aria-label="${escapeHtml(labels.backToText)} ${n.number}${k ? ` (${k + 1})` : ''}">↩︎</a>`,
      ).join(' ');
      return `<li id="${noteId(n.number)}" value="${n.number}" role="doc-endnote">${r.render(n.tokens)}<p class="backrefs">${backs}</p></li>`;
    })
    .join('\n');
  const authors = m.authors.map(escapeHtml).join(', ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(m.lang)}" dir="${m.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.title)}</title>
${m.authors.length ? `<meta name="author" content="${escapeHtml(m.authors.join(', '))}">` : ''}
${m.description ? `<meta name="description" content="${escapeHtml(m.description)}">` : ''}
<style>
${css}
</style>
</head>
<body>
<header class="title-block">
<h1 class="title">${escapeHtml(m.title)}</h1>
${m.subtitle ? `<p class="subtitle">${escapeHtml(m.subtitle)}</p>` : ''}
${authors ? `<p class="author">${authors}</p>` : ''}
${m.date ? `<p class="date"><time datetime="${escapeHtml(m.date)}">${escapeHtml(m.date)}</time></p>` : ''}
</header>
<nav class="toc" aria-label="${escapeHtml(labels.contents)}" role="doc-toc">
${toc(book.outline)}
</nav>
<main>
${chapters}
</main>
${notes ? `<section class="notes" role="doc-endnotes" aria-labelledby="notes-title">\n<h2 id="notes-title">${escapeHtml(labels.notes)}</h2>\n<ol>\n${notes}\n</ol>\n</section>` : ''}
<footer class="colophon" aria-label="${escapeHtml(labels.colophon)}">
${colophonHtml(book)}
</footer>
</body>
</html>
`;
}
