/** What every output target receives and implements. */
import type { Book } from '../model/types.js';
import type { BuildOptions, Format } from '../config/options.js';
import type { Stage } from '../output/stage.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Logger } from '../util/log.js';
import type { BuildFacts } from '../model/facts.js';

export interface BuildContext {
  book: Book;
  options: BuildOptions;
  stage: Stage;
  diags: Diagnostics;
  log: Logger;
  /** Facts one target hands to a later one (e.g. the PDF's page breaks for the EPUB page list). */
  facts: BuildFacts;
  /** Aborted on Ctrl-C: long-running targets stop and clean up. */
  signal: AbortSignal;
}

export interface Target {
  format: Format;
  /**
   * Optional work started at the beginning of the build, before the targets run in turn (e.g. the
   * EPUB's images are made while the PDF lays out); build() awaits it. The promise never rejects.
   */
  prepare?(ctx: BuildContext): Promise<void>;
  build(ctx: BuildContext): Promise<void>;
  /** Optional: closes what was started before the build (targets/warm.ts) and not taken; never fails. */
  coolDown?(): Promise<void>;
}
