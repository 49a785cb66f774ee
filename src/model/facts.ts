/**
 * What one target tells a later one in the same build: a typed value carried in the build context,
 * never a string-keyed map. The PDF target fills it; the EPUB, the print finishing and the edition
 * manifest read it.
 */

/**
 * Where a printed page begins, in terms every edition shares: the text block (token meta.block,
 * printed as data-b) and how many letters and digits of that block came on earlier pages.
 */
export interface PageStart {
  /** Printed page number (the folio). */
  folio: number;
  /** Text block in which the page's first letter stands. */
  block?: number;
  /** Letters and digits of that block printed on earlier pages. */
  offset?: number;
  /**
   * Where the page's running text starts when its first text is a floated figure or table (which
   * other editions show earlier): the first block outside a figure or table, and its offset.
   */
  flow?: { block: number; offset: number };
  /** Front matter the page belongs to when it holds no text block: title-page, colophon, contents. */
  part?: string;
  blank: boolean;
}

export class BuildFacts {
  /** Engines (name → version) that made this build's outputs: the colophons and the edition manifest list them. */
  engines: Record<string, string> = {};
  /** Where each printed folio begins (title page = 1), when the PDF was laid out in this build: the EPUB's page list. */
  pageStarts: PageStart[] | undefined = undefined;
  /**
   * The PDF's first and last pages are the front and back cover. Then an imposition's blank pages go
   * just before the back cover; otherwise after the last page, so they never fall between two pages of text.
   */
  covers = false;
}
