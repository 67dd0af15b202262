import { ZipFile } from 'yazl';

export interface ZipEntry {
  name: string;
  data: string | Buffer;
}

/** A deflated zip of the given entries (text as UTF-8). */
export function writeZip(entries: readonly ZipEntry[], mtime: Date = new Date()): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    try {
      for (const entry of entries) {
        const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
        zip.addBuffer(data, entry.name, { mtime, compress: true });
      }
      zip.end();
    } catch (error) {
      reject(error as Error);
    }
  });
}
