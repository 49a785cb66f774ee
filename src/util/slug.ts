/** Slugs for file names and heading ids: lower-case ASCII letters, digits and hyphens where possible. */
export function slugify(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u00ad]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'section';
}

const CYRILLIC: Record<string, string> = Object.fromEntries(
  'а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:i к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f х:kh ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:iu я:ia і:i ї:i є:ie ґ:g'
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/** Longest slug used in a file name: file systems allow 255 bytes, and names beside it need room. */
export const MAX_FILE_SLUG = 80;

/** Shortens a slug to `max` characters, at a hyphen (a word boundary) when there is one in the last half. */
export function capSlug(slug: string, max = MAX_FILE_SLUG): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  if (slug[max] === '-') return cut.replace(/-+$/, '');
  const atWord = cut.lastIndexOf('-');
  return (atWord >= max / 2 ? cut.slice(0, atWord) : cut).replace(/-+$/, '');
}

/** A slug safe as a file name on any system and in any URL: ASCII only (Cyrillic transliterated), at most MAX_FILE_SLUG characters. */
export function fileSlug(text: string): string {
  // Only the start can survive the cap: a 5,000-character title is not transliterated whole.
  const latin = [...text.slice(0, MAX_FILE_SLUG * 4).toLowerCase()].map((c) => CYRILLIC[c] ?? c).join('');
  if (!/[\p{L}\p{N}]/u.test(latin)) return 'book';
  const s = slugify(latin).replace(/[^a-z0-9-]+/g, '').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return capSlug(s) || 'book';
}

/** Hands out unique ids: the second "intro" becomes "intro-2". */
export class IdRegistry {
  private readonly used = new Set<string>();

  has(id: string): boolean {
    return this.used.has(id);
  }

  claim(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

export function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 2)) ? best : undefined;
}
