/**
 * Hyphenation. Offline Chromium ships no hyphenation dictionaries, so `hyphens: auto` does nothing;
 * instead the PDF renderer inserts soft hyphens with the `hyphen` package's TeX patterns.
 */
import { createRequire } from 'node:module';

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

/** A function that inserts U+00AD soft hyphens for `lang`, or undefined when there are no patterns for it. */
export function hyphenatorFor(lang: string): Hyphenate | undefined {
  const l = lang.toLowerCase();
  const module = PATTERNS[l] ?? PATTERNS[l.split('-')[0]!];
  if (!module) return undefined;
  if (!cache.has(module)) {
    const mod = require(`hyphen/${module}`) as { hyphenateSync: (t: string, o?: { minWordLength?: number }) => string };
    // Short words are never broken: a two-letter fragment at a line end reads badly.
    cache.set(module, (t) => mod.hyphenateSync(t, { minWordLength: 6 }));
  }
  return cache.get(module);
}

/** True when two language tags name the same language (en-GB and en are the same for this purpose). */
export const sameLanguage = (a: string, b: string) => a.toLowerCase().split('-')[0] === b.toLowerCase().split('-')[0];
