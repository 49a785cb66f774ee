/**
 * The package metadata, from the manuscript only: nothing is invented (no default publisher, no
 * "All rights reserved"), the identifier is stable across builds and the modification date follows
 * SOURCE_DATE_EPOCH.
 */
import crypto from 'node:crypto';
import type { Book } from '../../model/types.js';
import { escapeHtml } from '../../render/base.js';

/** RFC 4122 URL namespace; samizdat names books `samizdat:book:<title>\n<author>\n…` inside it. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based (version 5, SHA-1) UUID. */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = crypto.createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function bookIdentifier(book: Book): string {
  if (book.meta.identifier) return book.meta.identifier;
  return `urn:uuid:${uuidV5(['samizdat:book:' + book.meta.title, ...book.meta.authors].join('\n'))}`;
}

/** `YYYY-MM-DDThh:mm:ssZ` from SOURCE_DATE_EPOCH, else from now. */
export function modifiedDate(sourceDateEpoch: number | undefined, now: () => Date = () => new Date()): string {
  const d = sourceDateEpoch !== undefined ? new Date(sourceDateEpoch * 1000) : now();
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** W3CDTF as dc:date wants it; anything else is left out rather than guessed. */
const W3CDTF = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

export interface MetadataFacts {
  identifier: string;
  modified: string;
  hasImages: boolean;
  allImagesDescribed: boolean;
  hasCover: boolean;
  hasNotes: boolean;
  /** Who evaluated the publication's accessibility: book.yaml's a11y.certifier, else the publisher, else the authors. */
  certifier?: string;
  /** The print edition the page-break markers come from (present only when the EPUB has a page list). */
  pageSource?: string;
}

export function opfMetadata(book: Book, f: MetadataFacts): string {
  const m = book.meta;
  const e = escapeHtml;
  const lines: string[] = [];
  lines.push(`<dc:identifier id="pub-id">${e(f.identifier)}</dc:identifier>`);
  lines.push(`<dc:title id="title">${e(m.title)}</dc:title>`);
  lines.push(`<meta refines="#title" property="title-type">main</meta>`);
  if (m.subtitle) {
    lines.push(`<dc:title id="subtitle">${e(m.subtitle)}</dc:title>`);
    lines.push(`<meta refines="#subtitle" property="title-type">subtitle</meta>`);
  }
  m.authors.forEach((a, i) => {
    const id = `creator-${i + 1}`;
    lines.push(`<dc:creator id="${id}">${e(a)}</dc:creator>`);
    lines.push(`<meta refines="#${id}" property="role" scheme="marc:relators">aut</meta>`);
    lines.push(`<meta refines="#${id}" property="display-seq">${i + 1}</meta>`);
  });
  lines.push(`<dc:language>${e(m.lang)}</dc:language>`);
  if (m.date && W3CDTF.test(m.date)) lines.push(`<dc:date>${e(m.date)}</dc:date>`);
  if (m.publisher) lines.push(`<dc:publisher>${e(m.publisher)}</dc:publisher>`);
  if (m.rights) lines.push(`<dc:rights>${e(m.rights)}</dc:rights>`);
  if (m.description && m.description.trim()) lines.push(`<dc:description>${e(m.description)}</dc:description>`);
  for (const k of m.keywords) lines.push(`<dc:subject>${e(k)}</dc:subject>`);
  if (f.pageSource) {
    lines.push(`<dc:source id="print-source">${e(f.pageSource)}</dc:source>`);
    // EPUB 3.2 names the source of a page list this way (a11y:pageBreakSource is EPUB 3.3, unknown to EPUBCheck 4).
    lines.push(`<meta refines="#print-source" property="source-of">pagination</meta>`);
  }
  lines.push(`<meta property="dcterms:modified">${f.modified}</meta>`);
  lines.push(...accessibility(f));
  if (f.hasCover) lines.push(`<meta name="cover" content="cover-image" />`);
  return lines.map((l) => `    ${l}`).join('\n');
}

/** The conformance claim samizdat makes when the book delivers it (the Ace test suite checks it does). */
export const CONFORMS_TO = 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA';

/**
 * schema.org accessibility metadata (EPUB Accessibility 1.1, §2 of its techniques) naming exactly
 * the features this book has, a summary built from the same facts, and the conformance claim with
 * who stands behind it. A book with an undescribed image makes no WCAG claim: it would not be true.
 */
export function accessibilityFacts(f: MetadataFacts): { modes: string[]; sufficient: string[]; features: string[]; summary: string; conformsTo?: string } {
  const described = !f.hasImages || f.allImagesDescribed;
  const modes = ['textual', ...(f.hasImages ? ['visual'] : [])];
  const sufficient = f.hasImages ? (described ? ['textual', 'textual,visual'] : ['textual,visual']) : ['textual'];
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    ...(f.hasImages && f.allImagesDescribed ? ['alternativeText'] : []),
    'displayTransformability',
    ...(f.pageSource ? ['pageBreakMarkers', 'pageNavigation'] : []),
    'ARIA',
  ];
  const summary = [
    'This publication has a navigable table of contents and headings in reading order that start at level one.',
    f.hasImages ? (f.allImagesDescribed ? 'Every image has a text alternative.' : 'Some images lack a text alternative; the publication makes no WCAG conformance claim.') : 'It has no images.',
    f.hasNotes ? 'Notes are gathered under a heading after the text that calls them, linked from each call and back.' : '',
    f.pageSource ? 'Page-break markers and a page list give the page numbers of the print edition.' : '',
    'Text size, typeface, margins and colours are left to the reading system; ARIA roles mark the structure.',
    described ? `It meets ${CONFORMS_TO}.` : '',
  ].filter(Boolean).join(' ');
  return { modes, sufficient, features, summary, conformsTo: described ? CONFORMS_TO : undefined };
}

function accessibility(f: MetadataFacts): string[] {
  const a = accessibilityFacts(f);
  return [
    ...a.modes.map((m) => `<meta property="schema:accessMode">${m}</meta>`),
    ...a.sufficient.map((m) => `<meta property="schema:accessModeSufficient">${m}</meta>`),
    ...a.features.map((x) => `<meta property="schema:accessibilityFeature">${x}</meta>`),
    `<meta property="schema:accessibilityHazard">none</meta>`,
    `<meta property="schema:accessibilitySummary" xml:lang="en">${escapeHtml(a.summary)}</meta>`,
    ...(a.conformsTo ? [`<meta property="dcterms:conformsTo">${a.conformsTo}</meta>`] : []),
    ...(a.conformsTo && f.certifier ? [`<meta property="a11y:certifiedBy">${escapeHtml(f.certifier)}</meta>`] : []),
  ];
}
