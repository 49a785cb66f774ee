/**
 * Renderer rules of the EPUB: XHTML output, EPUB 3 note calls, images from the EPUB image variants,
 * in-book links (model/links.ts) pointing at the right content document.
 */
import type { RendererRule } from 'markdown-it';
import type { TargetRules } from '../../render/base.js';
import { callKey, type DocIndex } from './chapters.js';

export const noteId = (n: number): string => `note-${n}`;
export const noteRefId = (n: number, call: number): string => (call === 0 ? `noteref-${n}` : `noteref-${n}-${call + 1}`);

/** `file#id`, or just `#id` when the target is in the current file. */
export function hrefTo(currentFile: string, targetFile: string | undefined, id: string): string {
  return !targetFile || targetFile === currentFile ? `#${id}` : `${targetFile}#${id}`;
}

export interface EpubRuleContext {
  /** The content document being rendered. */
  file: string;
  index: DocIndex;
  /** Asset id → path inside OEBPS (images/…). */
  imageHref: Map<string, string>;
}

export function epubRules(c: EpubRuleContext): TargetRules {
  return {
    xhtml: true,
    assetUrl: (asset) => c.imageHref.get(asset.id) ?? '',
    noteRef: (n, call) =>
      `<a epub:type="noteref" role="doc-noteref" class="noteref" href="${hrefTo(c.file, c.index.fileOfNote.get(n), noteId(n))}" id="${noteRefId(n, call)}">${n}</a>`,
    // In-book links go to the content document that holds the id (or begins the chapter).
    linkHref: (to) =>
      to.kind === 'id' ? hrefTo(c.file, c.index.fileOfId.get(to.id), to.id)
      : to.kind === 'chapter' ? c.index.fileOfChapter.get(to.chapterId)
      : undefined,
    outsideHref: epubOutsideHref,
  };
}

/**
 * A link out of the book, in an EPUB: only a well-formed web, mail or phone address. A relative path
 * names no file of the EPUB (the manuscript's pages are in-book links, model/links.ts), so it would
 * dangle: the link keeps its text and loses its destination.
 */
export function epubOutsideHref(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (!/^(https?|mailto|tel|ftp):$/.test(url.protocol)) return undefined;
  if (/^(https?|ftp):$/.test(url.protocol) && !/^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/i.test(url.hostname)) return undefined;
  return /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/.test(href) ? href : url.href;
}

/** Href of a call of note `n` seen from `file` (for back-links). */
export function callHref(index: DocIndex, file: string, n: number, call: number): string {
  return hrefTo(file, index.fileOfCall.get(callKey(n, call)), noteRefId(n, call));
}
