/**
 * The text a book prints, with its place in the manuscript, and the glyph-coverage check: a character
 * that no font of the book's stack (fonts.ts) has is a warning at its file and line before any layout,
 * never a box in the PDF or a face the machine happens to have.
 */
import type { Token } from 'markdown-it';
import type { Book } from '../model/types.js';
import type { Diagnostics } from '../diagnostics.js';
import { labelsFor } from '../i18n/labels.js';
import { colophonLines } from '../render/colophon.js';
import { describeChar, drawsNothing, planStack, type FontStack } from './fonts.js';

export interface PlacedText {
  text: string;
  file: string;
  /** Line of the text's first character. */
  line: number;
}

function* walk(tokens: Token[]): Generator<Token> {
  for (const t of tokens) {
    yield t;
    if (t.children) yield* walk(t.children);
  }
}

/** Inline text, code and raw HTML of a token list, each at the line where it starts. */
function tokenTexts(tokens: Token[], file: string, out: PlacedText[]): void {
  for (const t of walk(tokens)) {
    if (!t.map) continue;
    if (t.type === 'inline' || t.type === 'html_block') out.push({ text: t.content, file, line: t.map[0] + 1 });
    else if (t.type === 'fence') out.push({ text: t.content, file, line: t.map[0] + 2 });
    else if (t.type === 'code_block') out.push({ text: t.content, file, line: t.map[0] + 1 });
  }
}

/** Everything the book prints: the manuscript's text, its metadata and the generated words. */
export function bookTexts(book: Book): PlacedText[] {
  const out: PlacedText[] = [];
  for (const ch of book.chapters) tokenTexts(ch.tokens, ch.source.file, out);
  for (const n of book.notes) tokenTexts(n.tokens, n.source.file, out);
  const metaFile = book.sources[0] ?? 'book.yaml';
  const m = book.meta;
  const meta = [m.title, m.subtitle, ...m.authors, m.publisher, m.date, m.rights, m.description, ...m.keywords];
  for (const v of meta) if (v) out.push({ text: v, file: metaFile, line: 1 });
  const labels = labelsFor(m.lang);
  const generated = [...Object.values(labels), ...colophonLines(book).flatMap((l) => [l.label, l.value]), '0123456789'];
  out.push({ text: generated.filter((v): v is string => typeof v === 'string').join(' '), file: metaFile, line: 1 });
  return out;
}

/** The font stack of the book: the faces its characters need. */
export function bookStack(book: Book): FontStack {
  return planStack(book.meta.lang, bookTexts(book).map((t) => t.text).join('\n'));
}

/** Warns once per character that no font covers, at its first place, with how many more there are. */
export function checkGlyphs(book: Book, diags: Diagnostics): FontStack {
  const texts = bookTexts(book);
  const stack = planStack(book.meta.lang, texts.map((t) => t.text).join('\n'));
  if (stack.missing.length === 0) return stack;
  const missing = new Set(stack.missing);
  const seen = new Map<number, { file: string; line: number; count: number }>();
  for (const t of texts) {
    let line = t.line;
    for (const ch of t.text) {
      if (ch === '\n') {
        line++;
        continue;
      }
      const cp = ch.codePointAt(0)!;
      if (!missing.has(cp) || drawsNothing(cp)) continue;
      const s = seen.get(cp);
      if (s) s.count++;
      else seen.set(cp, { file: t.file, line, count: 1 });
    }
  }
  for (const [cp, at] of seen) {
    const more = at.count > 1 ? ` (and ${at.count - 1} more time${at.count > 2 ? 's' : ''})` : '';
    diags.warn('missing-glyph', `no font of the book has the character ${describeChar(cp)}${more}: it would print as a box or in whatever font a machine has`, at);
  }
  return stack;
}
