/** The targets, in the order they run (the EPUB may use what the PDF learned about pages). */
import type { Format } from '../config/options.js';
import type { Target } from './target.js';
import { htmlTarget } from './html/index.js';
import { pdfTarget } from './pdf/index.js';
import { epubTarget } from './epub/index.js';

export const TARGETS: Target[] = [htmlTarget, pdfTarget, epubTarget];

export function targetsFor(formats: Format[]): Target[] {
  return TARGETS.filter((t) => formats.includes(t.format));
}
