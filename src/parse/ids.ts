/**
 * Heading ids as other tools make them, so that anchors already written in a manuscript resolve:
 *   pandoc (default) Pandoc's auto_identifiers: formatting and notes removed; every character that is
 *                    not a letter, digit, `_`, `-` or `.` removed; lower case; runs of spaces become one
 *                    hyphen; everything before the first letter removed; `section` when nothing is left.
 *                    A repeated id gets -1, -2… (the first free one).
 *   github           GitHub's (github-slugger): lower case, punctuation and symbols (emoji too)
 *                    removed, each space a hyphen; leading digits stay. Repeats get -1, -2….
 * Both read the heading's text as written (before smart quotes and dashes), with inline code's text.
 */
import type { Token } from 'markdown-it';
import { slug as githubSlug } from 'github-slugger';

export const ID_STYLES = ['pandoc', 'github'] as const;
export type IdStyle = (typeof ID_STYLES)[number];

export function pandocId(text: string): string {
  const kept = [...text.toLowerCase()].filter((c) => /[\p{L}\p{N}\s_.-]/u.test(c)).join('');
  const joined = kept.split(/\s+/u).filter(Boolean).join('-');
  const fromLetter = joined.replace(/^\P{L}+/u, '');
  return fromLetter || 'section';
}

export function githubId(text: string): string {
  return githubSlug(text);
}

export const idFor = (style: IdStyle, text: string): string => (style === 'github' ? githubId(text) : pandocId(text));

/** The heading's text as written: text, inline code and image alt text; note calls and raw HTML left out. */
export function sourceText(children: readonly Token[]): string {
  let out = '';
  for (const t of children) {
    if (t.type === 'text' || t.type === 'text_special' || t.type === 'code_inline') out += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') out += ' ';
    else if (t.type === 'image') out += sourceText(t.children ?? []);
  }
  return out.trim();
}

/** The first free id in `base`, `base-1`, `base-2`… (Pandoc and GitHub number repeats from 1). */
export function firstFree(base: string, used: (id: string) => boolean): string {
  if (!used(base)) return base;
  for (let n = 1; ; n++) if (!used(`${base}-${n}`)) return `${base}-${n}`;
}
