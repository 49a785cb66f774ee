/**
 * The edition's identity: every input file with its hash, one hash over them all, the versions that
 * build it. Computed once before the targets run, so every colophon can print it.
 */
import path from 'node:path';
import type { Book } from '../model/types.js';
import { sha256 } from './hash.js';
import { readBookFile } from '../util/safe_fs.js';
import { toolVersions } from './versions.js';

export interface Edition {
  inputs: { path: string; sha256: string }[];
  /** SHA-256 over the sorted "path sha256" lines of every input. */
  sourcesSha256: string;
  versions: Record<string, string>;
}

export function computeEdition(book: Book): Edition {
  const files = new Map<string, string>();
  for (const rel of book.sources) files.set(rel, sha256(readBookFile(book.root, path.join(book.root, rel))));
  for (const a of book.assets.values()) files.set(a.relPath, a.sha256);
  const inputs = [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, h]) => ({ path: p, sha256: h }));
  return {
    inputs,
    sourcesSha256: sha256(inputs.map((i) => `${i.path} ${i.sha256}\n`).join('')),
    versions: toolVersions(),
  };
}
