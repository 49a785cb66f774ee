/**
 * The EPUB 3 edition: dist/<slug>.epub. Chapters become content documents (chapters.ts), rendered
 * with the EPUB renderer rules (rules.ts) and closed by their notes (notes.ts); samizdat writes the
 * package document, navigation and NCX itself (metadata.ts, nav.ts), epub-gen-memory packs them
 * (package.ts) and the archive is normalised for reproducible builds (postprocess.ts).
 */
import type { BuildContext, Target } from '../target.js';
import type { ImageVariant } from '../../assets/images.js';
import { createRenderer, escapeHtml } from '../../render/base.js';
import { imageVariants } from '../../assets/images.js';
import { readTheme } from '../../styles.js';
import { indexDocuments, splitDocuments } from './chapters.js';
import { epubRules } from './rules.js';
import { noteAsides, notesBlock } from './notes.js';
import { labelsFor } from '../../i18n/labels.js';
import { bookIdentifier, modifiedDate, opfMetadata } from './metadata.js';
import { NAV_FILE, navDocument, navEntries, ncxDocument, type Landmark, type NavEntry } from './nav.js';
import { COLOPHON_FILE, COVER_FILE, NOTES_FILE, TITLE_FILE, colophonPage, coverPage, notesPage, textPage, titlePage } from './pages.js';
import { packEpub, type PackDoc, type PackImage } from './package.js';
import { normaliseArchive } from './postprocess.js';
import { checkArchive, locateBadBlock } from './check.js';
import { pageBreakRules, pageBreaksFor, pageListNav, pageTargets, planPages } from './page_list.js';
import { planFonts } from './fonts.js';
import { epubCoverFile } from './cover.js';
import type { Book } from '../../model/types.js';
import type { Token } from 'markdown-it';

/** Asset ids of the images the text and the notes show. */
function assetsShown(book: Book): Set<string> {
  const out = new Set<string>();
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.type === 'image' && t.meta?.assetId) out.add(String(t.meta.assetId));
      if (t.children) walk(t.children);
    }
  };
  for (const ch of book.chapters) walk(ch.tokens);
  for (const n of book.notes) walk(n.tokens);
  return out;
}

/** `base`, or `base-2`, `base-3`… when the book already uses it. */
function freeId(base: string, taken: Map<string, string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
import { bookStack } from '../../assets/glyphs.js';
import { timed } from '../../util/timing.js';

/**
 * What the EPUB needs that the print page numbers do not change, started by prepare() while the PDF
 * lays out: its images (made after the PDF's, variants.ts), then its drawn cover.
 */
const early = new WeakMap<BuildContext, { variants: Promise<Map<string, ImageVariant>>; cover: Promise<string> }>();

export const epubTarget: Target = {
  format: 'epub',
  prepare(ctx) {
    const variants = imageVariants(ctx, 'epub');
    const cover = variants.then(() => epubCoverFile(ctx.book));
    early.set(ctx, { variants, cover });
    return cover.then(() => undefined, () => undefined);
  },
  async build(ctx) {
    const { book, options } = ctx;
    const lang = book.meta.lang;
    const labels = labelsFor(lang);
    const modified = modifiedDate(options.sourceDateEpoch);
    const identifier = bookIdentifier(book);

    // Images: the EPUB variants of the images the text shows, under stable names in OEBPS/images/,
    // and the cover drawn with the book's title (cover.ts); a cover picture the text does not show
    // travels only inside the drawn cover.
    const started = early.get(ctx);
    early.delete(ctx);
    const variants = await timed('epub-images', () => started?.variants ?? imageVariants(ctx, 'epub'));
    const shown = assetsShown(book);
    const imageHref = new Map<string, string>();
    const images: PackImage[] = [];
    const taken = new Set<string>();
    const freeName = (wanted: string) => {
      let name = wanted;
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = wanted.replace(/(\.[^.]*)?$/, `-${n}$1`);
      taken.add(name.toLowerCase());
      return name;
    };
    for (const [assetId, v] of [...variants].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!shown.has(assetId)) continue;
      const href = `images/${freeName(v.name)}`;
      imageHref.set(assetId, href);
      images.push({ href, file: v.file, mediaType: v.mediaType, isCover: false });
    }
    const coverHref = `images/${freeName('epub-cover.jpg')}`;
    images.push({ href: coverHref, file: await timed('epub-cover', () => started?.cover ?? epubCoverFile(book)), mediaType: 'image/jpeg', isCover: true });
    if (ctx.signal.aborted) return;

    const docs = splitDocuments(book, options.epub.split);
    const index = indexDocuments(book, docs, options.epub.notes, NOTES_FILE);
    // A book whose title lives only in its metadata (no level-1 heading in the text) gets the title as
    // the <h1> of its first document, so the outline starts at level 1; text before the first heading
    // gets a contents entry either way.
    const titleHeading = docs.length > 0 && !book.outline.some((s) => s.level === 1) ? freeId('book-title', index.fileOfId) : undefined;
    const lead: NavEntry | undefined =
      titleHeading !== undefined ? { title: book.meta.title, href: `${docs[0]!.file}#${titleHeading}`, children: [] }
      : docs[0]?.level === 0 ? { title: book.meta.title, href: `${docs[0].file}#${freeId('text-start', index.fileOfId)}`, children: [] }
      : undefined;
    // Print page numbers, when the PDF was laid out in this build (page_list.ts).
    const starts = ctx.facts.pageStarts;
    const pages = starts ? planPages(starts) : undefined;
    const placed = new Map<number, string>();
    const rendererFor = (file: string) => {
      const base = epubRules({ file, index, imageHref });
      return createRenderer(book, pages ? { ...base, rules: { ...base.rules, ...pageBreakRules(pages, file, placed) } } : base);
    };

    const spine: PackDoc[] = [];
    // The cover page stays out of the linear reading order: reading systems show the cover image anyway.
    spine.push({ file: COVER_FILE, title: labels.cover, xhtml: coverPage(book, labels, coverHref), linear: false });
    // The print edition's front matter: its contents pages point at the contents, the rest at the title page.
    const frontOf = (file: string) => (pages?.front ?? []).filter((f) => (f.part === 'contents' ? NAV_FILE : TITLE_FILE) === file).map((f) => f.folio);
    const [firstFront, ...moreFront] = frontOf(TITLE_FILE);
    const navBreaks = pageBreaksFor(frontOf(NAV_FILE), NAV_FILE, placed);
    const titleBreaks = {
      start: firstFront === undefined ? '' : pageBreaksFor([firstFront], TITLE_FILE, placed),
      end: pageBreaksFor(moreFront, TITLE_FILE, placed),
    };
    spine.push({ file: TITLE_FILE, title: book.meta.title, xhtml: titlePage(book, labels, titleBreaks) });
    spine.push({ file: NAV_FILE, title: labels.contents, xhtml: '' });
    docs.forEach((d, i) => {
      const r = rendererFor(d.file);
      const notes = options.epub.notes === 'chapter' ? notesBlock(book, d.file, index, r, labels, Math.max(1, d.level) + 1) : '';
      const trailing = pages && i === docs.length - 1 ? pageBreaksFor(pages.trailing, d.file, placed) : '';
      const heading = i === 0 && titleHeading !== undefined ? `<h1 class="book-title" id="${titleHeading}">${escapeHtml(book.meta.title)}</h1>\n` : '';
      const sectionId = i === 0 && lead && titleHeading === undefined ? lead.href.split('#')[1] : undefined;
      spine.push({ file: d.file, title: d.title, xhtml: textPage(book, d.title, d.level, heading + r.render(d.tokens) + trailing, notes, i === 0, sectionId) });
    });
    const extraNav: NavEntry[] = [];
    if (options.epub.notes === 'book' && book.notes.length > 0) {
      const asides = noteAsides(book, NOTES_FILE, index, rendererFor(NOTES_FILE), labels);
      spine.push({ file: NOTES_FILE, title: labels.notes, xhtml: notesPage(book, labels, asides) });
      extraNav.push({ title: labels.notes, href: `${NOTES_FILE}#notes-title`, children: [] });
    }

    // Fonts are chosen from the text actually written, so a Russian book gets Cyrillic, a Chinese one Han.
    const fontPlan = options.epub.fonts ? planFonts(bookStack(book)) : undefined;
    spine.push({ file: COLOPHON_FILE, title: labels.colophon, xhtml: colophonPage(book, labels, { identifier, fonts: fontPlan?.families ?? [], engines: ctx.facts.engines }) });

    const entries = navEntries(book, docs, index, lead);
    const landmarks: Landmark[] = [
      { type: 'cover', href: COVER_FILE, title: labels.cover },
      { type: 'titlepage', href: TITLE_FILE, title: labels.titlePage },
      { type: 'toc', href: `${NAV_FILE}#toc`, title: labels.contents },
      ...(docs[0] ? [{ type: 'bodymatter', href: docs[0].file, title: labels.start }] : []),
    ];
    const hasImages = images.some((i) => !i.isCover) || book.figures.length > 0;
    const metadataXml = opfMetadata(book, {
      identifier,
      modified,
      hasImages,
      allImagesDescribed: book.figures.every((f) => f.alt.trim() !== ''),
      hasCover: true,
      hasNotes: book.notes.length > 0,
      certifier: options.a11y.certifier || book.meta.publisher || book.meta.authors.join(', ') || undefined,
      pageSource: pages ? `${identifier} (print edition: ${book.meta.slug}.pdf, ${options.pdf.size})` : undefined,
    });
    const css = readTheme(book, 'epub.css') + (fontPlan ? `\n/* embedded fonts (epub.fonts) */\n${fontPlan.css}` : '');
    const packed = await timed('epub-pack', () => packEpub({
      lang,
      dir: book.meta.dir,
      title: book.meta.title,
      author: book.meta.authors,
      metadataXml,
      spine,
      navFile: NAV_FILE,
      navXhtml: navDocument(lang, book.meta.dir, labels, entries, landmarks, extraNav, pages ? pageListNav(pages, placed, labels.pageList) : '', navBreaks),
      ncx: ncxDocument(identifier, book.meta.title, [...entries, ...extraNav], pages ? pageTargets(pages, placed) : [], labels.pageList),
      css,
      images,
      fonts: fontPlan?.fonts ?? [],
    }));
    if (ctx.signal.aborted) return;
    const { data } = await timed('epub-normalise', () => normaliseArchive(packed, new Date(modified)));
    // The checks the tests run, run here: an EPUB that is not well-formed is never written.
    const firstFile = book.chapters[0]?.source.file ?? book.sources.find((f) => f.endsWith('.md'));
    if (entries.length === 0) ctx.diags.error('empty-nav', 'the EPUB would have an empty table of contents: the book has no text to list', { file: firstFile, line: 1 });
    for (const { entry, problem } of await timed('epub-check', () => checkArchive(data))) {
      const doc = docs.find((d) => entry.endsWith(`/${d.file}`));
      const at = doc ? locateBadBlock(doc.tokens, rendererFor(doc.file), doc.source) ?? { file: doc.source, line: 1 } : { file: firstFile };
      ctx.diags.error('invalid-epub', `the EPUB document ${entry} would not be well-formed XML (line ${problem.line}: ${problem.message}); it is built from this part of the manuscript`, at);
    }
    if (ctx.diags.hasErrors()) return;
    ctx.stage.write(`${book.meta.slug}.epub`, data, 'epub');
  },
};
