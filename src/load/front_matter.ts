/** Splits YAML front matter from a Markdown file, keeping the body's line numbers. */
export interface FrontMatterSplit {
  /** The YAML text, or undefined when the file has no front matter. */
  yaml?: string;
  /** 1-based line where the YAML text starts. */
  yamlLine: number;
  /** The Markdown body with the front matter replaced by blank lines, so lines keep their numbers. */
  body: string;
  /** Set when a front matter block is opened but never closed. */
  unclosed?: boolean;
}

export function splitFrontMatter(text: string): FrontMatterSplit {
  const lines = text.split('\n');
  if (lines[0]?.replace(/\r$/, '') !== '---') return { yamlLine: 1, body: text };
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!.replace(/\r$/, '');
    if (l === '---' || l === '...') {
      const yaml = lines.slice(1, i).join('\n');
      const body = [...Array(i + 1).fill(''), ...lines.slice(i + 1)].join('\n');
      return { yaml, yamlLine: 2, body };
    }
  }
  return { yamlLine: 2, body: text, unclosed: true };
}
