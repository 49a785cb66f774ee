/**
 * Tables that fit the page. Runs in the page before Paged.js lays it out (self-contained: it is
 * serialised into the page): with the body as wide as the text block (--text-width, page_size.ts),
 * every table wider than the box it stands in is stepped down through data-fit 1, 2, 3 (print.css:
 * smaller type, then words broken anywhere, then fixed columns as wide as the text block) until it fits.
 * Returns how many tables were made smaller. No named inner functions: tsx's helpers do not exist in the page.
 */
export function fitWideTables(): number {
  const body = document.body;
  const width = getComputedStyle(document.documentElement).getPropertyValue('--text-width').trim();
  if (!width) return 0;
  const saved = body.style.width;
  body.style.width = width;
  let fitted = 0;
  for (const table of Array.from(document.querySelectorAll<HTMLTableElement>('table'))) {
    if (table.closest('.footnote')) continue;
    const box = table.parentElement ?? body;
    if (table.offsetWidth <= box.clientWidth + 0.5) continue;
    fitted++;
    for (let step = 1; step <= 3; step++) {
      table.setAttribute('data-fit', String(step));
      if (table.offsetWidth <= box.clientWidth + 0.5) break;
    }
  }
  body.style.width = saved;
  return fitted;
}
