/** The link annotations of a PDF read with pdf-lib, for the tests of links, contents and notes. */
import { PDFArray, PDFDict, PDFName, type PDFDocument } from 'pdf-lib';

export interface PdfLink {
  /** 1-based page the link is on. */
  from: number;
  /** Its named destination; undefined when it has none (a URI link, or a destination given otherwise). */
  name?: string;
  /** 1-based page of that destination; undefined when the name is not among the document's Dests. */
  to?: number;
}

export function pdfLinkAnnotations(doc: PDFDocument): PdfLink[] {
  const dests = doc.catalog.lookup(PDFName.of('Dests')) as PDFDict;
  const pageIndex = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
  const links: PdfLink[] = [];
  doc.getPages().forEach((p, i) => {
    const annots = p.node.Annots();
    for (let k = 0; k < (annots?.size() ?? 0); k++) {
      const a = doc.context.lookup(annots!.get(k)) as PDFDict;
      if (a.get(PDFName.of('Subtype'))?.toString() !== '/Link') continue;
      const name = a.get(PDFName.of('Dest'));
      if (!(name instanceof PDFName)) {
        links.push({ from: i + 1 });
        continue;
      }
      const target = dests.lookup(name);
      const arr = (target instanceof PDFDict ? target.lookup(PDFName.of('D')) : target) as PDFArray | undefined;
      links.push({ from: i + 1, name: name.decodeText(), to: arr ? pageIndex.get(arr.get(0).toString()) : undefined });
    }
  });
  return links;
}
