/** Well-formedness of XML (EPUB documents, SVG), read by a conforming XML parser (saxes). */
import { SaxesParser } from 'saxes';

export interface XmlProblem {
  message: string;
  line: number;
  column: number;
}

/** The first well-formedness error of `text` (with namespaces checked), or undefined. */
export function xmlProblem(text: string): XmlProblem | undefined {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: XmlProblem | undefined;
  parser.on('error', (e) => {
    problem ??= { message: e.message.replace(/^\d+:\d+: /, ''), line: parser.line, column: parser.column };
  });
  parser.write(text).close();
  return problem;
}
