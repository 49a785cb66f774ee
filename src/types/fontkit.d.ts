declare module 'fontkit' {
  /** The part of fontkit samizdat uses: a font file's character map. */
  export interface Font {
    familyName: string;
    characterSet: number[];
    hasGlyphForCodePoint(cp: number): boolean;
  }
  export function openSync(file: string): Font;
}
