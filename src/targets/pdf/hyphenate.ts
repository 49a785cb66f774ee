/**
 * Hyphenation. Offline Chromium ships no hyphenation dictionaries, so `hyphens: auto` does nothing;
 * instead the PDF renderer inserts soft hyphens with the `hyphen` package's TeX patterns.
 */
import { createRequire } from 'node:module';
import type { Book } from '../../model/types.js';
import type { Token } from 'markdown-it';
import { checkpoint } from '../../util/interrupt.js';
import path from 'node:path';
import { cacheKey, checkCacheDir, readJson, writeAtomic } from '../../assets/cache.js';
import { packageVersion } from '../../util/package_files.js';
import { addCount } from '../../util/timing.js';

const require = createRequire(import.meta.url);

/** Book language (BCP 47) → pattern module of the hyphen package. */
const PATTERNS: Record<string, string> = {
  en: 'en-us', 'en-us': 'en-us', 'en-gb': 'en-gb', ru: 'ru', uk: 'uk', be: 'be', bg: 'bg', de: 'de-1996', 'de-ch': 'de-ch-1901',
  fr: 'fr', es: 'es', it: 'it', pt: 'pt', nl: 'nl', pl: 'pl', cs: 'cs', sk: 'sk', sl: 'sl', hr: 'hr', hu: 'hu', ro: 'ro',
  sv: 'sv', da: 'da', nb: 'nb', nn: 'nn', no: 'no', fi: 'fi', et: 'et', lt: 'lt', lv: 'lv', tr: 'tr', el: 'el-monoton',
  ca: 'ca', eu: 'eu', gl: 'gl', ga: 'ga', cy: 'cy', is: 'is', la: 'la', sr: 'sr-cyrl', mk: 'mk', ka: 'ka', hy: 'hy',
};

export type Hyphenate = (text: string) => string;

const cache = new Map<string, Hyphenate | undefined>();

/** The hyphen package's pattern module for `lang`, if it has one. */
function patternModule(lang: string): string | undefined {
  const l = lang.toLowerCase();
  return PATTERNS[l] ?? PATTERNS[l.split('-')[0]!];
}

/** A function that inserts U+00AD soft hyphens for `lang`, or undefined when there are no patterns for it. */
export function hyphenatorFor(lang: string): Hyphenate | undefined {
  const module = patternModule(lang);
  if (!module) return undefined;
  if (!cache.has(module)) {
    const mod = require(`hyphen/${module}`) as { hyphenateSync: (t: string, o?: { minWordLength?: number }) => string };
    // Short words are never broken: a two-letter fragment at a line end reads badly.
    cache.set(module, boundedHyphenator((t) => mod.hyphenateSync(t, { minWordLength: 6 })));
  }
  return cache.get(module);
}

/** True when two language tags name the same language (en-GB and en are the same for this purpose). */
export const sameLanguage = (a: string, b: string) => a.toLowerCase().split('-')[0] === b.toLowerCase().split('-')[0];

/**
 * Longer words are left alone: no dictionary word is this long, and the pattern code's time grows with
 * the square of the word (a 40,000-letter "word" took 101 s). Such strings are URLs, hashes, or
 * hostile input; print.css lets them break anywhere instead.
 */
export const MAX_HYPHENATED_WORD = 60;

/** Runs `hyphenate` only on the whitespace-separated pieces of at most MAX_HYPHENATED_WORD characters: linear in the text. */
export function boundedHyphenator(hyphenate: Hyphenate): Hyphenate {
  return (text) => {
    if (!/\S{61}/.test(text)) return hyphenate(text); // the common case: one call, as before
    return text
      .split(/(\s+)/)
      .map((piece) => (piece.length > MAX_HYPHENATED_WORD || !/\S/.test(piece) ? piece : hyphenate(piece)))
      .join('');
  };
}

const byBook = new WeakMap<Book, Map<string, string>>();

/** The hyphenator for the book's language, answering from what hyphenateBook prepared (then computing). */
export function bookHyphenator(book: Book): Hyphenate | undefined {
  const hyphenate = hyphenatorFor(book.meta.lang);
  if (!hyphenate) return undefined;
  const memo = byBook.get(book) ?? new Map<string, string>();
  byBook.set(book, memo);
  return (text) => {
    let h = memo.get(text);
    if (h === undefined) memo.set(text, (h = hyphenate(text)));
    return h;
  };
}

const SOFT_HYPHEN = /\u00ad/g;

/**
 * The hyphenation of the book's texts from its last build: `<book>/.cache/samizdat/hyphenation/`, one
 * file per pattern set (and hyphen version, word limits), text → text with soft hyphens. Untrusted
 * like every cache in the book folder: read only as a plain file, and an entry is used only when it is
 * its text with nothing but soft hyphens added.
 */
function hyphenationFile(book: Book): string | undefined {
  const module = patternModule(book.meta.lang);
  if (!module) return undefined;
  const dir = path.join(book.root, '.cache', 'samizdat', 'hyphenation');
  try {
    checkCacheDir(book.root, dir);
  } catch {
    return undefined; // a cache folder that links out of the book is never used
  }
  const key = cacheKey({ module, hyphen: packageVersion('hyphen'), minWordLength: 6, max: MAX_HYPHENATED_WORD });
  return path.join(dir, `${module}-${key.slice(0, 16)}.json`);
}

/**
 * Hyphenates every text of the book ahead of rendering, a slice at a time, letting the event loop run
 * between slices: Ctrl-C stops it (the renderers then only look the results up). Texts hyphenated in
 * the last build are taken from the book's cache (a rebuild after an edit hyphenates only what changed),
 * and the texts of this build are kept there for the next.
 */
export async function hyphenateBook(book: Book, signal?: AbortSignal): Promise<void> {
  const hyphenate = bookHyphenator(book);
  if (!hyphenate) return;
  const memo = byBook.get(book)!;
  const file = hyphenationFile(book);
  const stored = file ? readJson<Record<string, unknown>>(file) : undefined;
  const before = memo.size;
  let reused = 0;
  let last = performance.now();
  await checkpoint(signal, 'hyphenation');
  const visit = async (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.children) await visit(t.children);
      if (t.type !== 'text') continue;
      const text = t.content;
      if (!memo.has(text) && stored && Object.hasOwn(stored, text)) {
        const known = stored[text];
        if (typeof known === 'string' && known.replace(SOFT_HYPHEN, '') === text.replace(SOFT_HYPHEN, '')) {
          memo.set(text, known);
          reused++;
        }
      }
      hyphenate(text);
      if (performance.now() - last > 20) {
        await checkpoint(signal, 'hyphenation');
        last = performance.now();
      }
    }
  };
  for (const ch of book.chapters) await visit(ch.tokens);
  for (const n of book.notes) await visit(n.tokens);
  await checkpoint(signal);
  // Kept for the next build when anything was hyphenated anew (or the stored texts are not these).
  const used = memo.size - before;
  addCount('hyphenated', used - reused);
  if (file && (reused < used || Object.keys(stored ?? {}).length !== used)) {
    try {
      writeAtomic(file, JSON.stringify(Object.fromEntries(memo)));
    } catch {
      // a cache that cannot be written only makes the next build slower
    }
  }
}
