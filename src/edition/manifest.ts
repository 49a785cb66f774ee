/**
 * dist/manifest.json: what was built, from what, with what. Every output with its SHA-256, size and
 * format; every input with its SHA-256; the options; the engine versions. `samizdat verify` reads it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Stage } from '../output/stage.js';
import type { BuildOptions } from '../config/options.js';
import type { Book } from '../model/types.js';
import type { Edition } from './edition.js';
import { sha256File } from './hash.js';

export const MANIFEST = 'manifest.json';

export interface Manifest {
  samizdat: string;
  title: string;
  identifier?: string;
  date?: string;
  sourceDateEpoch?: number;
  engines: Record<string, string>;
  options: Record<string, unknown>;
  sourcesSha256: string;
  inputs: { path: string; sha256: string }[];
  outputs: { path: string; sha256: string; size: number; format: string }[];
}

export function writeManifest(stage: Stage, book: Book, edition: Edition, options: BuildOptions, engines: Record<string, string>): void {
  const outputs = stage.files
    .filter((f) => f.name !== MANIFEST)
    .map((f) => {
      const p = path.join(stage.dir, f.name);
      return { path: f.name, sha256: sha256File(p), size: fs.statSync(p).size, format: f.format };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const manifest: Manifest = {
    samizdat: edition.versions['samizdat'] ?? 'unknown',
    title: book.meta.title,
    identifier: book.meta.identifier,
    date: book.meta.date,
    sourceDateEpoch: options.sourceDateEpoch,
    engines: { ...edition.versions, ...engines },
    options: {
      formats: options.formats,
      pdf: options.pdf,
      epub: options.epub,
      given: sortKeys(options.given),
    },
    sourcesSha256: edition.sourcesSha256,
    inputs: edition.inputs,
    outputs,
  };
  stage.write(MANIFEST, JSON.stringify(manifest, null, 2) + '\n', 'manifest');
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
