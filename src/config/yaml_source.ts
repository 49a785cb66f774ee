/** YAML parsing that keeps line numbers, for front matter and book.yaml alike. */
import { LineCounter, parseDocument, isMap, isScalar, type Document } from 'yaml';
import type { Diagnostics } from '../diagnostics.js';

export interface YamlResult {
  data: Record<string, unknown>;
  /** 1-based line of each top-level key (and `section.key` for nested ones), in the file. */
  keyLines: Map<string, number>;
}

/**
 * Parses YAML text that starts at `firstLine` of `file`; problems become diagnostics
 * with the file's own line numbers. Returns undefined when the text is not a mapping.
 */
export function parseYaml(text: string, file: string, firstLine: number, diags: Diagnostics): YamlResult | undefined {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number) => lc.linePos(offset).line + firstLine - 1;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      diags.error('yaml', `malformed YAML: ${e.message.split('\n')[0]}`, { file, line: lineOf(e.pos[0]) });
    }
    return undefined;
  }
  if (doc.contents === null) return { data: {}, keyLines: new Map() };
  if (!isMap(doc.contents)) {
    diags.error('yaml', 'expected key: value pairs', { file, line: firstLine });
    return undefined;
  }
  const keyLines = new Map<string, number>();
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    keyLines.set(key, lineOf(pair.key.range?.[0] ?? 0));
    if (isMap(pair.value)) {
      for (const sub of pair.value.items) {
        if (isScalar(sub.key)) keyLines.set(`${key}.${String(sub.key.value)}`, lineOf(sub.key.range?.[0] ?? 0));
      }
    }
  }
  const data = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  return { data, keyLines };
}
