/**
 * Packs the files epub-gen-memory made (its JSZip, never compressed by it) so that the archive is
 * reproducible and by the book: `mimetype` first and stored, then META-INF, the package document and
 * every other file in name order, every entry dated the same (SOURCE_DATE_EPOCH, else the build
 * time), no folder entries. Text is deflated at level 9; pictures and fonts, compressed already, are
 * stored (deflating 5 MB of JPEG again took longer than the rest of the EPUB and saved under 1 %).
 */
import JSZip from 'jszip';

/** The DOS date format of zip files starts in 1980. */
const ZIP_EPOCH = Date.UTC(1980, 0, 1, 0, 0, 0);

function entryRank(name: string): number {
  if (name === 'mimetype') return 0;
  if (name.startsWith('META-INF/')) return 1;
  if (name.endsWith('.opf')) return 2;
  return 3;
}

/** Files whose format is compressed already. */
const COMPRESSED = /\.(jpe?g|png|gif|webp|avif|woff2?|mp3|mp4|m4a)$/i;

export async function normaliseArchive(source: JSZip, date: Date): Promise<{ data: Buffer; entries: string[] }> {
  const names = Object.keys(source.files)
    .filter((n) => !source.files[n]!.dir)
    .sort((a, b) => entryRank(a) - entryRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const when = new Date(Math.max(ZIP_EPOCH, date.getTime()));
  when.setUTCSeconds(when.getUTCSeconds() - (when.getUTCSeconds() % 2), 0);
  const out = new JSZip();
  out.file('mimetype', 'application/epub+zip', { compression: 'STORE', date: when, createFolders: false });
  for (const name of names) {
    if (name === 'mimetype') continue;
    const data = await source.files[name]!.async('uint8array');
    out.file(name, data, { date: when, createFolders: false, binary: true, ...(COMPRESSED.test(name) ? { compression: 'STORE' as const } : {}) });
  }
  const data = await out.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
    platform: 'DOS',
    streamFiles: false,
  });
  return { data, entries: ['mimetype', ...names.filter((n) => n !== 'mimetype')] };
}
