/** YAML parsing that keeps line numbers, for front matter and book.yaml alike. */
import { LineCounter, parseDocument, isMap, isScalar, visit, type Document } from 'yaml';
import type { Diagnostics } from '../diagnostics.js';

export interface YamlResult {
  data: Record<string, unknown>;
  /** 1-based line of each key, nested ones as `section.key`, in the file. */
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
      diags.error('yaml', `malformed YAML: ${e.message.split('\n')[0]}`, { file, line: lineOf(openedAt(doc, text, e.pos[0])) });
    }
    return undefined;
  }
  if (doc.contents === null) return { data: {}, keyLines: new Map() };
  if (!isMap(doc.contents)) {
    diags.error('yaml', 'expected key: value pairs', { file, line: firstLine });
    return undefined;
  }
  const keyLines = new Map<string, number>();
  const walk = (map: unknown, prefix: string) => {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const key = `${prefix}${String(pair.key.value)}`;
      keyLines.set(key, lineOf(pair.key.range?.[0] ?? 0));
      walk(pair.value, `${key}.`);
    }
  };
  walk(doc.contents, '');
  const data = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  return { data, keyLines };
}

/**
 * Where the mistake behind an error at `pos` begins: a quote or bracket never closed is reported by
 * the parser where the text ends; the user needs the line where it was opened.
 */
function openedAt(doc: Document, text: string, pos: number): number {
  let best = pos;
  let bestStart = -1;
  visit(doc, (_key, node) => {
    const range = (node as { range?: [number, number, number] }).range;
    if (!range || range[0] > pos || range[2] < pos || range[0] <= bestStart) return;
    if ('"\'[{'.includes(text[range[0]] ?? '')) {
      bestStart = range[0];
      best = range[0];
    }
  });
  return best;
}
