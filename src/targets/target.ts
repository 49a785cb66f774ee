/** What every output target receives and implements. */
import type { Book } from '../model/types.js';
import type { BuildOptions, Format } from '../config/options.js';
import type { Stage } from '../output/stage.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Logger } from '../util/log.js';

export interface BuildContext {
  book: Book;
  options: BuildOptions;
  stage: Stage;
  diags: Diagnostics;
  log: Logger;
  /** Facts one target hands to a later one (e.g. the PDF's page breaks for the EPUB page list). */
  shared: Map<string, unknown>;
  /** Aborted on Ctrl-C: long-running targets stop and clean up. */
  signal: AbortSignal;
}

export interface Target {
  format: Format;
  build(ctx: BuildContext): Promise<void>;
}
