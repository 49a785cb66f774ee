/**
 * The EPUB 3 edition: dist/<slug>.epub. Chapters become content documents (chapters.ts), rendered
 * with the EPUB renderer rules (rules.ts) and closed by their notes (notes.ts); samizdat writes the
 * package document, navigation and NCX itself (metadata.ts, nav.ts), epub-gen-memory packs them
 * (package.ts) and the archive is normalised for reproducible builds (postprocess.ts).
 */
import type { Target } from '../target.js';
import { createRenderer } from '../../render/base.js';
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
import type { PageStart } from '../pdf/page_starts.js';
import { planFonts } from './fonts.js';

export const epubTarget: Target = {
  format: 'epub',
  async build(ctx) {
    const { book, options } = ctx;
    const lang = book.meta.lang;
    const labels = labelsFor(lang);
    const modified = modifiedDate(options.sourceDateEpoch);
    const identifier = bookIdentifier(book);

    // Images: the EPUB variants, under stable names in OEBPS/images/.
    const variants = await imageVariants(ctx, 'epub');
    const imageHref = new Map<string, string>();
    const images: PackImage[] = [];
    const taken = new Set<string>();
    for (const [assetId, v] of [...variants].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      let name = v.name;
      for (let n = 2; taken.has(name.toLowerCase()); n++) name = v.name.replace(/(\.[^.]*)?$/, `-${n}$1`);
      taken.add(name.toLowerCase());
      const href = `images/${name}`;
      imageHref.set(assetId, href);
      images.push({ href, file: v.file, mediaType: v.mediaType, isCover: assetId === book.meta.cover });
    }
    const coverHref = book.meta.cover ? imageHref.get(book.meta.cover) : undefined;

    const docs = splitDocuments(book, options.epub.split);
    const index = indexDocuments(book, docs, options.epub.notes, NOTES_FILE);
    // Print page numbers, when the PDF was laid out in this build (page_list.ts).
    const starts = ctx.shared.get('pdf.pageStarts') as PageStart[] | undefined;
    const pages = starts ? planPages(starts) : undefined;
    const placed = new Map<number, string>();
    const rendererFor = (file: string) => {
      const base = epubRules({ file, index, imageHref });
      return createRenderer(book, pages ? { ...base, rules: { ...base.rules, ...pageBreakRules(pages, file, placed) } } : base);
    };

    const spine: PackDoc[] = [];
    if (coverHref) spine.push({ file: COVER_FILE, title: labels.cover, xhtml: coverPage(book, labels, coverHref) });
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
      spine.push({ file: d.file, title: d.title, xhtml: textPage(book, d.title, d.level, r.render(d.tokens) + trailing, notes, i === 0) });
    });
    const extraNav: NavEntry[] = [];
    if (options.epub.notes === 'book' && book.notes.length > 0) {
      const asides = noteAsides(book, NOTES_FILE, index, rendererFor(NOTES_FILE), labels);
      spine.push({ file: NOTES_FILE, title: labels.notes, xhtml: notesPage(book, labels, asides) });
      extraNav.push({ title: labels.notes, href: `${NOTES_FILE}#notes-title`, children: [] });
    }

    // Fonts are chosen from the text actually written, so a Russian book gets Cyrillic.
    const fontPlan = options.epub.fonts ? planFonts(spine.map((d) => d.xhtml).join('') + JSON.stringify(book.meta)) : undefined;
    spine.push({ file: COLOPHON_FILE, title: labels.colophon, xhtml: colophonPage(book, labels, { identifier, fonts: !!fontPlan, engines: (ctx.shared.get('engines') as Record<string, string> | undefined) ?? {} }) });

    const entries = navEntries(book, docs, index);
    const landmarks: Landmark[] = [
      ...(coverHref ? [{ type: 'cover', href: COVER_FILE, title: labels.cover }] : []),
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
      hasCover: !!coverHref,
      hasNotes: book.notes.length > 0,
      certifier: book.meta.publisher || book.meta.authors.join(', ') || undefined,
      pageSource: pages ? `${identifier} (print edition: ${book.meta.slug}.pdf, ${options.pdf.size})` : undefined,
    });
    const css = readTheme(book, 'epub.css') + (fontPlan ? `\n/* embedded fonts (epub.fonts) */\n${fontPlan.css}` : '');
    const packed = await packEpub({
      lang,
      title: book.meta.title,
      author: book.meta.authors,
      metadataXml,
      spine,
      navFile: NAV_FILE,
      navXhtml: navDocument(lang, labels, entries, landmarks, extraNav, pages ? pageListNav(pages, placed, labels.pageList) : '', navBreaks),
      ncx: ncxDocument(identifier, book.meta.title, [...entries, ...extraNav], pages ? pageTargets(pages, placed) : [], labels.pageList),
      css,
      images,
      fonts: fontPlan?.fonts ?? [],
    });
    if (ctx.signal.aborted) return;
    const { data } = await normaliseArchive(packed, new Date(modified));
    // The checks the tests run, run here: an EPUB that is not well-formed is never written.
    const firstFile = book.chapters[0]?.source.file ?? book.sources.find((f) => f.endsWith('.md'));
    if (entries.length === 0) ctx.diags.error('empty-nav', 'the EPUB would have an empty table of contents: the book has no text to list', { file: firstFile, line: 1 });
    for (const { entry, problem } of await checkArchive(data)) {
      const doc = docs.find((d) => entry.endsWith(`/${d.file}`));
      const at = doc ? locateBadBlock(doc.tokens, rendererFor(doc.file), doc.source) ?? { file: doc.source, line: 1 } : { file: firstFile };
      ctx.diags.error('invalid-epub', `the EPUB document ${entry} would not be well-formed XML (line ${problem.line}: ${problem.message}); it is built from this part of the manuscript`, at);
    }
    if (ctx.diags.hasErrors()) return;
    ctx.stage.write(`${book.meta.slug}.epub`, data, 'epub');
  },
};
