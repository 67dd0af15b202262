import { ZipFile } from 'yazl';
import { Readable } from 'node:stream';

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

/** An entry whose bytes are read only when the zip comes to it. */
export interface LazyZipEntry {
  name: string;
  read(): Promise<string | Buffer>;
  /** Store without deflating (photos are compressed already). */
  store?: boolean;
}

/**
 * A deflated zip written as it is read: the entries go in one after the other and each one's
 * bytes are fetched when the zip reaches it, so only one entry is in memory at a time however
 * large the whole. A failed read ends the stream with its error.
 */
export function zipStream(entries: Iterable<LazyZipEntry>, mtime: Date = new Date()): Readable {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  zip.on('error', (error: Error) => output.destroy(error));
  try {
    for (const entry of entries) {
      let started = false;
      const source = new Readable({
        read() {
          if (started) return;
          started = true;
          entry.read().then(
            (data) => {
              this.push(toBuffer(data));
              this.push(null);
            },
            (error: Error) => this.destroy(error),
          );
        },
      });
      source.on('error', (error) => output.destroy(error));
      zip.addReadStream(source, entry.name, { mtime, compress: !entry.store });
    }
    zip.end();
  } catch (error) {
    process.nextTick(() => output.destroy(error as Error));
  }
  return output;
}
