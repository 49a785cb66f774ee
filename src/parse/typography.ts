/** Quotation marks for the book's language (markdown-it's typographer does the replacing). */
const QUOTES: Record<string, string | [string, string, string, string]> = {
  en: '“”‘’',
  de: '„“‚‘',
  fr: ['«\u00a0', '\u00a0»', '“', '”'],
  ru: '«»„“',
  uk: '«»„“',
  pl: '„”‚’',
  cs: '„“‚‘',
  it: '«»“”',
  es: '«»“”',
  pt: '«»“”',
  nl: '“”‘’',
  sv: '””’’',
  da: '»«›‹',
  fi: '””’’',
  nb: '«»‘’',
};

export function quotesFor(lang: string): string | [string, string, string, string] {
  const base = lang.toLowerCase().split('-')[0]!;
  if (lang.toLowerCase() === 'de-ch') return '«»‹›';
  return QUOTES[base] ?? QUOTES['en']!;
}
