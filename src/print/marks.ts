/**
 * Printer's marks drawn with pdf-lib: crop marks outside the bleed, the fold mark of a booklet's
 * spine, and the cut and fold guides of a mini-zine. Crop marks are in the registration colour
 * (Separation /All), which prints on every plate; guides for home printing are plain gray.
 */
import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames as Ops,
  type PDFDocument,
  type PDFPage,
  type PDFRef,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  setDashPattern,
  setLineWidth,
  setStrokingGrayscaleColor,
  stroke,
} from 'pdf-lib';
import type { Rect } from './boxes.js';
import { PT_PER_MM } from './sheet_sizes.js';

/** Crop marks: a hairline starting `gap` outside the bleed, `length` long. */
export const CROP_MARK = { gap: 1 * PT_PER_MM, length: 5 * PT_PER_MM, width: 0.25 };

/** Room outside the bleed that crop marks need (with 1 mm to spare). */
export const MARKS_MARGIN = CROP_MARK.gap + CROP_MARK.length + 1 * PT_PER_MM;

const REGISTRATION = 'SamizdatAll';

/** The Separation /All colour space, registered once per document. */
function registrationSpace(pdf: PDFDocument): PDFRef {
  const ctx = pdf.context;
  const tint = ctx.obj({ FunctionType: 2, Domain: [0, 1], C0: [0, 0, 0, 0], C1: [1, 1, 1, 1], N: 1 });
  return ctx.register(ctx.obj([PDFName.of('Separation'), PDFName.of('All'), PDFName.of('DeviceCMYK'), tint]) as PDFArray);
}

function addColorSpace(page: PDFPage, name: string, ref: PDFRef): void {
  const { Resources } = page.node.normalizedEntries();
  let spaces = Resources.lookupMaybe(PDFName.of('ColorSpace'), PDFDict);
  if (!spaces) {
    spaces = page.doc.context.obj({});
    Resources.set(PDFName.of('ColorSpace'), spaces);
  }
  spaces.set(PDFName.of(name), ref);
}

type Segment = [number, number, number, number];

const path = (segments: Segment[]) => segments.flatMap(([x1, y1, x2, y2]) => [moveTo(x1, y1), lineTo(x2, y2)]);

/**
 * Crop marks at the four corners of `trim`: for each corner one horizontal and one vertical
 * hairline on the trim lines, starting outside the bleed so they never show on a trimmed page.
 */
export function drawCropMarks(pdf: PDFDocument, pages: PDFPage[], trimOf: (page: PDFPage) => Rect, bleed: number): void {
  const space = registrationSpace(pdf);
  const near = bleed + CROP_MARK.gap;
  const far = near + CROP_MARK.length;
  for (const page of pages) {
    const t = trimOf(page);
    const [l, b, r, top] = [t.x, t.y, t.x + t.width, t.y + t.height];
    const segments: Segment[] = [];
    for (const x of [l, r]) {
      const out = x === l ? -1 : 1;
      for (const y of [b, top]) {
        const up = y === b ? -1 : 1;
        segments.push([x + out * near, y, x + out * far, y], [x, y + up * near, x, y + up * far]);
      }
    }
    addColorSpace(page, REGISTRATION, space);
    page.pushOperators(
      pushGraphicsState(),
      PDFOperator.of(Ops.StrokingColorspace, [PDFName.of(REGISTRATION)]),
      PDFOperator.of(Ops.StrokingColorN, [PDFNumber.of(1)]),
      setLineWidth(CROP_MARK.width),
      ...path(segments),
      stroke(),
      popGraphicsState(),
    );
  }
}

export interface LineStyle {
  /** 0 black … 1 white. */
  gray: number;
  width: number;
  /** Dash and gap lengths; none for a solid line. */
  dash?: number[];
}

/** Straight lines in one style, e.g. fold and cut guides. */
export function drawLines(page: PDFPage, segments: Segment[], style: LineStyle): void {
  if (segments.length === 0) return;
  page.pushOperators(
    pushGraphicsState(),
    setStrokingGrayscaleColor(style.gray),
    setLineWidth(style.width),
    ...(style.dash ? [setDashPattern(style.dash, 0)] : []),
    ...path(segments),
    stroke(),
    popGraphicsState(),
  );
}

/** Fold mark of a booklet sheet: short dashes on the spine in the top and bottom margins. */
export const FOLD_MARK = { length: 6 * PT_PER_MM, style: { gray: 0.35, width: 0.4, dash: [2, 2] } satisfies LineStyle };

export function drawFoldMark(page: PDFPage, spineX: number, sheetHeight: number): void {
  const len = FOLD_MARK.length;
  drawLines(
    page,
    [
      [spineX, sheetHeight, spineX, sheetHeight - len],
      [spineX, 0, spineX, len],
    ],
    FOLD_MARK.style,
  );
}
