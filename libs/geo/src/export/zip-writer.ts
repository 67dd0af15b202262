import { ZipFile } from 'yazl';

export interface ZipEntry {
  name: string;
  /** Text (written as UTF-8) or bytes. */
  data: string | Buffer;
}

/**
 * Text written piece by piece into UTF-8 bytes, a megabyte at a time: no string ever holds the
 * whole file (a V8 string stops at about 512 MiB) and the pieces become garbage while still young.
 */
export class Utf8Builder {
  private readonly buffers: Buffer[] = [];
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(private readonly flushAt = 1 << 20) {}

  push(piece: string): void {
    this.pending.push(piece);
    this.pendingLength += piece.length;
    if (this.pendingLength >= this.flushAt) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.buffers.push(Buffer.from(this.pending.join(''), 'utf8'));
    this.pending = [];
    this.pendingLength = 0;
  }

  toBuffer(): Buffer {
    this.flush();
    return Buffer.concat(this.buffers);
  }
}

function toBuffer(data: ZipEntry['data']): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
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
        zip.addBuffer(toBuffer(entry.data), entry.name, { mtime, compress: true });
      }
      zip.end();
    } catch (error) {
      reject(error as Error);
    }
  });
}
