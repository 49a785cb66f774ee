/**
 * The book model: the one object every target consumes.
 * Content is kept as markdown-it tokens so that each target renders it with its own renderer rules.
 */
import type { Token } from 'markdown-it';
import type { Edition } from '../edition/edition.js';

/** A place in the manuscript: file relative to the book folder, 1-based line. */
export interface SourcePos {
  file: string;
  line: number;
}

export interface Metadata {
  title: string;
  subtitle?: string;
  authors: string[];
  lang: string;
  /** Writing direction of the book: rtl for Arabic, Hebrew, Persian, Urdu… or `dir: rtl` in the metadata. */
  dir: 'ltr' | 'rtl';
  date?: string;
  publisher?: string;
  identifier?: string;
  rights?: string;
  description?: string;
  cover?: string;
  /** Asset id of the publisher's logo (the back of the print-on-demand cover). */
  logo?: string;
  keywords: string[];
  slug: string;
}

/**
 * Where an in-book link goes, resolved once for every target (model/links.ts); on a link_open token
 * as meta.target. Links out of the book carry none and keep their href.
 */
export type LinkTarget =
  /** An element with this id (a heading, figure, table or any element given an id). */
  | { kind: 'id'; id: string }
  /** The start of a chapter that has no heading of its own. */
  | { kind: 'chapter'; chapterId: string }
  /** A link into the book that resolves nowhere (already reported): rendered without a destination. */
  | { kind: 'none'; href: string };

/** A heading in the outline (used for TOC, nav, PDF bookmarks). */
export interface Section {
  id: string;
  title: string;
  level: number;
  source: SourcePos;
  children: Section[];
}

/** A top-level part of the book: the text under one level-1 heading (or text before any heading). */
export interface Chapter {
  id: string;
  title: string;
  /** Heading level of the chapter's own heading; 0 when the chapter has no heading. */
  level: number;
  source: SourcePos;
  tokens: Token[];
  /** Note numbers in the order they are first called in this chapter. */
  notes: number[];
}

export interface Note {
  /** Book-wide number, by order of first reference. */
  number: number;
  label: string;
  /** Key used by footnote_ref tokens: `${fileIndex}:${markdown-it footnote id}`. */
  key: string;
  source: SourcePos;
  /** Block tokens of the note body. */
  tokens: Token[];
  /** Chapter the note is first called from. */
  chapterId: string;
  /** How many times it is called (each call gets its own back-link id). */
  calls: number;
}

export interface Figure {
  id: string;
  assetId: string;
  alt: string;
  caption: string;
  /** Classes written on the figure ({.bleed} makes a full-bleed plate in print). */
  classes: string[];
  source: SourcePos;
}

export interface Asset {
  id: string;
  /** Absolute path of the source file. */
  path: string;
  /** Path relative to the book folder, forward slashes. */
  relPath: string;
  kind: 'image' | 'font' | 'style';
  sha256: string;
  mediaType: string;
  refs: SourcePos[];
  width?: number;
  height?: number;
}

export interface Book {
  root: string;
  meta: Metadata;
  chapters: Chapter[];
  outline: Section[];
  notes: Note[];
  figures: Figure[];
  assets: Map<string, Asset>;
  /** Input files (relative paths) in build order. */
  sources: string[];
  /** The book's own stylesheets (styles/*.css), filtered (load/styles.ts); built-in theme not included. */
  styles: Partial<Record<'print.css' | 'epub.css' | 'web.css' | 'cover.css', string>>;
  /** Hashes and versions of this edition (for colophons and the manifest). */
  edition: Edition;
}
