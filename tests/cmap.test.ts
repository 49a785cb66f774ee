/**
 * cmap.ts reads a WOFF2 file's character map itself (fontkit is no longer loaded for every build): for
 * every subset file samizdat may load (the regular face of each family, as fonts.ts reads them), the
 * characters must be exactly the ones fontkit reads from the same file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as fontkit from 'fontkit';
import { woff2CharacterSet } from '../src/assets/cmap.js';
import { fontPackageDir } from '../src/assets/fonts.js';

const PACKAGES = ['source-serif-4', 'noto-serif', 'noto-naskh-arabic', 'noto-serif-hebrew', 'noto-serif-sc', 'noto-serif-tc', 'noto-serif-jp', 'noto-serif-kr', 'noto-emoji', 'noto-sans-mono'];

describe('woff2CharacterSet', () => {
  it('reads the same characters as fontkit from every regular-face subset file of every family', () => {
    let files = 0;
    let chars = 0;
    for (const pkg of PACKAGES) {
      const dir = path.join(fontPackageDir(pkg), 'files');
      for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('-400-normal.woff2'))) {
        const file = path.join(dir, name);
        const ours = woff2CharacterSet(fs.readFileSync(file));
        expect(ours, name).toBeDefined();
        const theirs = fontkit.openSync(file).characterSet;
        expect(new Set(ours), name).toEqual(new Set(theirs));
        files++;
        chars += theirs.length;
      }
    }
    // Every family has files (a renamed package would otherwise pass with nothing compared).
    expect(files).toBeGreaterThan(PACKAGES.length * 3);
    expect(chars).toBeGreaterThan(20_000);
  }, 120_000);

  it('returns undefined for what is not a WOFF2 font, so that fontkit is asked', () => {
    expect(woff2CharacterSet(new TextEncoder().encode('not a font at all, just some text here.........'))).toBeUndefined();
    expect(woff2CharacterSet(new Uint8Array(0))).toBeUndefined();
  });
});
