/** Reports keys nobody reads, with the nearest known name. */
import { BOOK_YAML_KEYS, KEY_ALIASES, OPTION_SECTIONS } from './schema.js';
import type { YamlResult } from './yaml_source.js';
import type { Diagnostics } from '../diagnostics.js';
import { nearest } from '../util/slug.js';

export function validateKeys(y: YamlResult, file: string, diags: Diagnostics): void {
  for (const [key, value] of Object.entries(y.data)) {
    const line = y.keyLines.get(key);
    if (!BOOK_YAML_KEYS.includes(key) && !(key in KEY_ALIASES)) {
      const near = nearest(key, BOOK_YAML_KEYS);
      diags.error('unknown-key', `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}`, { file, line });
      continue;
    }
    const section = OPTION_SECTIONS[key as keyof typeof OPTION_SECTIONS] as readonly string[] | undefined;
    if (!section) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      diags.error('bad-value', `"${key}" must be a mapping of options`, { file, line });
      continue;
    }
    for (const sub of Object.keys(value)) {
      if (section.includes(sub)) continue;
      const near = nearest(sub, section);
      diags.error('unknown-key', `unknown key "${key}.${sub}"${near ? ` (did you mean "${key}.${near}"?)` : ''}`, {
        file,
        line: y.keyLines.get(`${key}.${sub}`) ?? line,
      });
    }
  }
}
