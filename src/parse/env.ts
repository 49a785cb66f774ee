/** The env object markdown-it passes to every rule: per-file facts plus book-wide registries. */
import type { Token } from 'markdown-it';
import type { Diagnostics } from '../diagnostics.js';
import type { IdRegistry } from '../util/slug.js';
import type { IdStyle } from './ids.js';

export interface NoteDefinition {
  label: string;
  line: number;
  tokens: Token[];
}

export interface ParseEnv {
  [key: string | symbol]: unknown;
  /** Manuscript file, relative to the book folder. */
  file: string;
  /** The file's source lines, for exact line look-ups. */
  lines: string[];
  diags: Diagnostics;
  /** Book-wide ids (headings, figures), shared by every file's env. */
  ids: IdRegistry;
  /** How automatic heading ids are made (book.yaml `ids`). */
  idStyle?: IdStyle;
  /** Filled by heading_ids: the id this file alone would give a heading → the id it has in the book, where they differ. */
  headingAliases?: Map<string, string>;
  /** Filled by heading_ids: every heading's text as written and its id, in order. */
  headingTexts?: { text: string; id: string }[];
  /** Filled by markdown-it-footnote. */
  footnotes?: {
    refs?: Record<string, number>;
    list?: { label?: string; content?: string; tokens?: Token[]; count: number }[];
  };
  /** Filled by the footnote_collect rule. */
  noteDefs?: Map<string, NoteDefinition>;
}

/** Finds the exact line of `needle` within a block's line range; falls back to the block's first line. */
export function findLine(env: ParseEnv, map: [number, number] | null | undefined, needle: string): number | undefined {
  if (!map) return undefined;
  for (let l = map[0]; l < Math.max(map[1], map[0] + 1); l++) {
    if (env.lines[l]?.includes(needle)) return l + 1;
  }
  return map[0] + 1;
}
