/** The built-in theme lives in the tool's styles/ folder; a book's own styles/ folder adds overrides. */
import fs from 'node:fs';
import path from 'node:path';
import type { Book } from './model/types.js';
import type { StylesheetName } from './model/styles.js';
import { TOOL_ROOT } from './util/package_files.js';

export { TOOL_ROOT };
export const TOOL_STYLES = path.join(TOOL_ROOT, 'styles');

/**
 * The built-in stylesheet `name`, then the book's `styles/<name>` override when there is one (read and
 * filtered when the book was loaded: load/styles.ts).
 */
export function readTheme(book: Pick<Book, 'styles'>, name: StylesheetName): string {
  const parts = [fs.readFileSync(path.join(TOOL_STYLES, name), 'utf8')];
  const own = book.styles[name];
  if (own !== undefined) parts.push(`/* book override: styles/${name} */\n` + own);
  return parts.join('\n');
}
