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
  /** Code (inline code, a code block): set in the monospaced face first. */
  code?: boolean;
}

function* walk(tokens: Token[]): Generator<Token> {
  for (const t of tokens) {
    yield t;
    if (t.children) yield* walk(t.children);
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The source of an inline token with its code spans blanked (spaces, the line breaks kept), and the
 * spans' text: markdown-it gives a span's content with its line breaks as spaces and one space trimmed
 * at each end, so each is found again, in order, between its backticks.
 */
function splitCode(inline: Token): { prose: string; code: { text: string; lines: number }[] } {
  let prose = inline.content;
  const code: { text: string; lines: number }[] = [];
  let from = 0;
  for (const c of inline.children ?? []) {
    if (c.type !== 'code_inline') continue;
    const body = c.content.split(' ').map(escapeRegExp).join('[ \\n]');
    const re = new RegExp(`${c.markup}[ \\n]?${body}[ \\n]?${c.markup}`, 'g');
    re.lastIndex = from;
    const m = re.exec(prose);
    // Lines before the span in the paragraph (a span not found again is placed at its first line).
    code.push({ text: c.content, lines: m ? prose.slice(0, m.index).split('\n').length - 1 : 0 });
    if (!m) continue;
    const end = m.index + m[0].length - c.markup.length;
    prose = prose.slice(0, m.index + c.markup.length) + prose.slice(m.index + c.markup.length, end).replace(/[^\n]/g, ' ') + prose.slice(end);
    from = m.index + m[0].length;
  }
  return { prose, code };
}

/**
 * Inline text, code and raw HTML of a token list, each at the line where it starts. A heading's code
 * is its text too: the running heads print the heading's text in the text face.
 */
function tokenTexts(tokens: Token[], file: string, out: PlacedText[]): void {
  let heading = false;
  for (const t of walk(tokens)) {
    if (t.type === 'heading_open') heading = true;
    if (t.type === 'heading_close') heading = false;
    if (!t.map) continue;
    const line = t.map[0] + 1;
    if (t.type === 'inline') {
      const { prose, code } = splitCode(t);
      out.push({ text: heading ? t.content : prose, file, line });
      for (const c of code) out.push({ text: c.text, file, line: line + c.lines, code: true });
    } else if (t.type === 'html_block') out.push({ text: t.content, file, line });
    else if (t.type === 'fence') out.push({ text: t.content, file, line: line + 1, code: true });
    else if (t.type === 'code_block') out.push({ text: t.content, file, line, code: true });
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

/** The stack that draws these texts: code in the monospaced face first, the rest in the text stack. */
function stackOf(lang: string, texts: PlacedText[]): FontStack {
  const join = (code: boolean) => texts.filter((t) => !!t.code === code).map((t) => t.text).join('\n');
  return planStack(lang, join(false), join(true));
}

/**
 * The font stack of the book: the faces its characters need. Worked out once per book (the check
 * before the build and every target ask): the characters as written; the soft hyphens the PDF adds
 * later need no face of their own (a hyphen drawn at a line end is U+002D).
 */
export function bookStack(book: Book): FontStack {
  let stack = stacks.get(book);
  if (!stack) stacks.set(book, (stack = stackOf(book.meta.lang, bookTexts(book))));
  return stack;
}
const stacks = new WeakMap<Book, FontStack>();

/** Warns once per character that no font covers, at its first place, with how many more there are. */
export function checkGlyphs(book: Book, diags: Diagnostics): FontStack {
  const stack = bookStack(book);
  if (stack.missing.length === 0) return stack;
  const texts = bookTexts(book);
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
      if (s) {
        s.count++;
        // Code spans come after their paragraph's text: the first place is the earliest line.
        if (s.file === t.file && line < s.line) s.line = line;
      } else seen.set(cp, { file: t.file, line, count: 1 });
    }
  }
  for (const [cp, at] of seen) {
    const more = at.count > 1 ? ` (and ${at.count - 1} more time${at.count > 2 ? 's' : ''})` : '';
    diags.warn('missing-glyph', `no font of the book has the character ${describeChar(cp)}${more}: it would print as a box or in whatever font a machine has`, at);
  }
  return stack;
}
