/**
 * sharp, loaded the first time an image is read or made: a rebuild whose images are all in the cache
 * (assets/cache.ts) never loads its native library (~30-50 ms of every such build's start). Loaded,
 * it works one libvips thread per image (images.ts runs one image per core at a time) and keeps no
 * operation cache holding big images. The variants are the same bytes whatever the count.
 */
import { createRequire } from 'node:module';
import type sharpType from 'sharp';

let loaded: typeof sharpType | undefined;

export function sharp(): typeof sharpType {
  if (!loaded) {
    loaded = createRequire(import.meta.url)('sharp') as typeof sharpType;
    loaded.concurrency(1);
    loaded.cache(false);
  }
  return loaded;
}
