/**
 * Packaging through epub-gen-memory. samizdat hands it finished documents and its own templates
 * (contentOPF, tocNCX, tocXHTML, chapterXHTML): the library's chapter pipeline re-serialises HTML,
 * drops attributes such as `start`, names images with random UUIDs and writes default metadata, so
 * each chapter's finished XHTML travels in a field of its own that the chapter template prints
 * verbatim, and images are handed over under their stable names (the library reads them itself from
 * file:// URLs, like fonts).
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type JSZip from 'jszip';
import { EPub, type Chapter as GenChapter, type Options as GenOptions } from 'epub-gen-memory';
import { escapeHtml } from '../../render/base.js';

/** A content document as the packager receives it. */
export interface PackDoc {
  file: string;
  title: string;
  xhtml: string;
  /** Manifest item properties (e.g. "svg"), if any. */
  properties?: string;
  linear?: boolean;
}

export interface PackImage {
  /** Path inside OEBPS, e.g. images/carbon-copy.jpg. */
  href: string;
  file: string;
  mediaType: string;
  isCover: boolean;
}

export interface PackFont {
  filename: string;
  file: string;
}

export interface PackInput {
  lang: string;
  /** rtl: the spine says page-progression-direction="rtl" (pages turn from left to right). */
  dir: 'ltr' | 'rtl';
  title: string;
  author: string[];
  metadataXml: string;
  /** Spine order: every document, the navigation document included (by NAV href). */
  spine: PackDoc[];
  navFile: string;
  navXhtml: string;
  ncx: string;
  css: string;
  images: PackImage[];
  fonts: PackFont[];
}

/** EJS would run `<%` sequences found in a pre-rendered template; `<%%` prints them literally. */
const ejsLiteral = (s: string): string => s.replace(/<%/g, '<%%');

/** XML NCName id for a manifest item. */
export const itemId = (prefix: string, name: string): string => `${prefix}-${name.replace(/[^A-Za-z0-9_.-]/g, '-')}`;

export function contentOpf(p: PackInput): string {
  const items: string[] = [];
  items.push(`<item id="nav" href="${p.navFile}" media-type="application/xhtml+xml" properties="nav" />`);
  items.push(`<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml" />`);
  items.push(`<item id="css" href="style.css" media-type="text/css" />`);
  for (const d of p.spine) {
    if (d.file === p.navFile) continue;
    items.push(`<item id="${itemId('doc', path.basename(d.file, '.xhtml'))}" href="${escapeHtml(d.file)}" media-type="application/xhtml+xml"${d.properties ? ` properties="${d.properties}"` : ''} />`);
  }
  for (const img of p.images) {
    const id = img.isCover ? 'cover-image' : itemId('img', path.basename(img.href));
    items.push(`<item id="${id}" href="${escapeHtml(img.href)}" media-type="${img.mediaType}"${img.isCover ? ' properties="cover-image"' : ''} />`);
  }
  for (const f of p.fonts) items.push(`<item id="${itemId('font', f.filename)}" href="fonts/${escapeHtml(f.filename)}" media-type="font/woff2" />`);
  const spine = p.spine.map((d) =>
    d.file === p.navFile
      ? `<itemref idref="nav" />`
      : `<itemref idref="${itemId('doc', path.basename(d.file, '.xhtml'))}"${d.linear === false ? ' linear="no"' : ''} />`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="${escapeHtml(p.lang)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
${p.metadataXml}
  </metadata>
  <manifest>
${items.map((i) => `    ${i}`).join('\n')}
  </manifest>
  <spine toc="ncx"${p.dir === 'rtl' ? ' page-progression-direction="rtl"' : ''}>
${spine.map((i) => `    ${i}`).join('\n')}
  </spine>
</package>
`;
}

type GenImage = { url: string; id: string; extension: string | null; mediaType: string | null };

/** epub-gen-memory's EPub, given samizdat's images under their own names instead of random ones. */
class StableImagesEPub extends EPub {
  constructor(options: GenOptions, content: GenChapter[], images: GenImage[]) {
    super(options, content);
    (this as unknown as { images: GenImage[] }).images = images;
  }

  /** The files, without zipping them (postprocess.ts writes the one archive). */
  async files(): Promise<JSZip> {
    await this.render();
    return (this as unknown as { zip: JSZip }).zip;
  }
}

/** Runs epub-gen-memory; returns its files, zipped afterwards by postprocess. */
export async function packEpub(p: PackInput): Promise<JSZip> {
  const chapters = p.spine
    .filter((d) => d.file !== p.navFile)
    .map((d) => ({ title: d.title, filename: d.file, content: '', xhtml: d.xhtml }) as GenChapter);
  const images: GenImage[] = p.images.map((img) => {
    const base = path.basename(img.href);
    const ext = path.extname(base);
    return { url: pathToFileURL(img.file).href, id: base.slice(0, base.length - ext.length), extension: ext.slice(1), mediaType: img.mediaType };
  });
  const options: GenOptions = {
    title: p.title,
    author: p.author,
    lang: p.lang,
    css: p.css,
    version: 3,
    verbose: false,
    prependChapterTitles: false,
    fonts: p.fonts.map((f) => ({ filename: f.filename, url: pathToFileURL(f.file).href })),
    chapterXHTML: '<%- xhtml %>',
    contentOPF: ejsLiteral(contentOpf(p)),
    tocNCX: ejsLiteral(p.ncx),
    tocXHTML: ejsLiteral(p.navXhtml),
  };
  return new StableImagesEPub(options, chapters, images).files();
}
