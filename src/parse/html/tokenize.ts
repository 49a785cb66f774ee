/**
 * Raw HTML read by parse5's tokenizer (the WHATWG tokenizer: attributes, character references,
 * comments, raw-text elements exactly as a browser reads them). Tree building is samizdat's own
 * (sanitize.ts), because a manuscript's HTML comes in pieces between Markdown blocks.
 */
import { Tokenizer, TokenizerMode, type Token as P5 } from 'parse5';
import { RAW_TEXT } from './elements.js';

export type HtmlEvent =
  | { kind: 'start'; name: string; attrs: { name: string; value: string }[]; selfClosing: boolean; raw: string; offset: number }
  | { kind: 'end'; name: string; raw: string; offset: number }
  | { kind: 'text'; text: string; offset: number; end: number };

const MODE: Record<string, number> = {
  script: TokenizerMode.SCRIPT_DATA,
  style: TokenizerMode.RAWTEXT,
  xmp: TokenizerMode.RAWTEXT,
  iframe: TokenizerMode.RAWTEXT,
  noembed: TokenizerMode.RAWTEXT,
  noframes: TokenizerMode.RAWTEXT,
  noscript: TokenizerMode.RAWTEXT,
  textarea: TokenizerMode.RCDATA,
  title: TokenizerMode.RCDATA,
  plaintext: TokenizerMode.PLAINTEXT,
};

/** The events of a piece of HTML; comments, doctypes and processing instructions are left out. */
export function tokenizeHtml(src: string): HtmlEvent[] {
  return tokenizeWithSource(src).events;
}

/** The events, and the source they were read from (text events' offsets point into it). */
export function tokenizeWithSource(src: string): { events: HtmlEvent[]; src: string } {
  const events: HtmlEvent[] = [];
  let consumed = 0;
  const seen = (loc: P5.Location | null) => {
    if (loc) consumed = Math.max(consumed, loc.endOffset);
  };
  const text = (chars: string, loc: P5.Location | null) => {
    seen(loc);
    const last = events[events.length - 1];
    const start = loc?.startOffset ?? consumed;
    const end = loc?.endOffset ?? src.length;
    if (last?.kind === 'text') {
      last.text += chars;
      last.end = end;
    } else events.push({ kind: 'text', text: chars, offset: start, end });
  };
  const slice = (loc: P5.Location | null) => (loc ? src.slice(loc.startOffset, loc.endOffset) : '');
  const tokenizer: Tokenizer = new Tokenizer(
    { sourceCodeLocationInfo: true },
    {
      onStartTag(t) {
        seen(t.location);
        events.push({ kind: 'start', name: t.tagName, attrs: t.attrs.map((a) => ({ name: a.name, value: a.value })), selfClosing: t.selfClosing, raw: slice(t.location), offset: t.location?.startOffset ?? 0 });
        if (RAW_TEXT.has(t.tagName) && MODE[t.tagName] !== undefined) tokenizer.state = MODE[t.tagName] as typeof tokenizer.state;
      },
      onEndTag(t) {
        seen(t.location);
        events.push({ kind: 'end', name: t.tagName, raw: slice(t.location), offset: t.location?.startOffset ?? 0 });
      },
      onCharacter: (t) => text(t.chars, t.location),
      onWhitespaceCharacter: (t) => text(t.chars, t.location),
      onNullCharacter: (t) => text('\ufffd', t.location),
      onComment: (t) => seen(t.location),
      onDoctype: (t) => seen(t.location),
      onEof() {},
    },
  );
  tokenizer.write(src, true);
  // A tag cut off by the end of the piece (`a </b` in a sentence) is text, as written.
  if (consumed < src.length) text(src.slice(consumed), null);
  return { events, src };
}
