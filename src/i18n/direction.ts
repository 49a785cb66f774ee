/** Writing direction of a language: books, and passages marked with a lang attribute. */
const RTL_LANGS = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'yi', 'ps', 'sd', 'ckb', 'dv', 'ug', 'syr']);

/** The direction of a language tag: rtl for the languages above unless a Latin script subtag says otherwise. */
export function directionOf(lang: string): 'ltr' | 'rtl' {
  const [primary = '', ...rest] = lang.toLowerCase().split('-');
  if (rest.includes('latn') || rest.includes('cyrl')) return 'ltr';
  return RTL_LANGS.has(primary) || rest.includes('arab') || rest.includes('hebr') ? 'rtl' : 'ltr';
}
