/** Well-formedness for assertions: the error text, or undefined. */
import { xmlProblem } from '../../src/util/xml.js';

export function wellFormed(text: string): string | undefined {
  const p = xmlProblem(text);
  return p && `${p.line}:${p.column}: ${p.message}`;
}
