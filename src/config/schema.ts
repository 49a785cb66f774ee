/** Every key a book.yaml or front matter may hold. Unknown keys are reported with the nearest known name. */
export const METADATA_KEYS = [
  'title', 'subtitle', 'author', 'lang', 'date', 'publisher', 'identifier', 'rights',
  'description', 'cover', 'keywords', 'slug',
] as const;

export const OPTION_SECTIONS = {
  pdf: ['size', 'impose', 'creep', 'signature', 'bleed', 'marks', 'color', 'cover', 'press', 'pdfa', 'timeout', 'chapterStart', 'frontMatter', 'parallel'],
  epub: ['split', 'notes', 'fonts', 'imageMaxSide'],
} as const;

export const PROJECT_KEYS = ['chapters', 'chrome', 'styles', ...Object.keys(OPTION_SECTIONS)] as const;

export const BOOK_YAML_KEYS: readonly string[] = [...METADATA_KEYS, ...PROJECT_KEYS];

/** Pandoc writes these under other names; accept them as aliases. */
export const KEY_ALIASES: Record<string, string> = {
  authors: 'author',
  language: 'lang',
  'cover-image': 'cover',
  abstract: 'description',
  copyright: 'rights',
};
