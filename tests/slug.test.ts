import { describe, expect, it } from 'vitest';
import { fileSlug, IdRegistry, nearest } from '../src/util/slug.js';

describe('file names from titles', () => {
  it('are ASCII, with Cyrillic transliterated', () => {
    expect(fileSlug('Самиздат и тамиздат')).toBe('samizdat-i-tamizdat');
    expect(fileSlug('Four Copies on an Erika')).toBe('four-copies-on-an-erika');
    expect(fileSlug('Ça va — “déjà vu”?')).toBe('ca-va-deja-vu');
    expect(fileSlug('…')).toBe('book');
  });
});

describe('ids and suggestions', () => {
  it('hands out unique ids', () => {
    const ids = new IdRegistry();
    expect(['a', 'a', 'a-2', 'a'].map((x) => ids.claim(x))).toEqual(['a', 'a-2', 'a-2-2', 'a-3']);
  });
  it('suggests the nearest known key', () => {
    expect(nearest('titel', ['title', 'subtitle', 'lang'])).toBe('title');
    expect(nearest('zzzzzzzz', ['title', 'lang'])).toBeUndefined();
  });
});
