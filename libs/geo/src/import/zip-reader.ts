import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { ImportFileError, type ImportLimits } from './import-types';

export const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export function looksLikeZip(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4);
  return head.equals(ZIP_MAGIC) || head.equals(EMPTY_ZIP_MAGIC);
}

/** Entry names are read as UTF-8 when flagged or valid, else as Latin-1; paths are only ever matched, never followed. */
function decodeName(raw: Buffer, flags: number): string {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch {
    name = (flags & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
  }
  return name.replace(/\\/g, '/');
}

/** Folders, macOS resource forks (__MACOSX/, ._x) and other hidden files carry no data for us. */
export function isIgnorableEntry(name: string): boolean {
  if (name.endsWith('/')) return true;
  if (name.split('/').includes('__MACOSX')) return true;
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base === '' || base.startsWith('.');
}

/**
 * Entry names from the central directory, without inflating anything: enough to tell a KMZ from a
 * zipped shapefile. Empty when the central directory cannot be found.
 */
export function listZipEntryNames(bytes: Buffer, maxEntries = 10_000): string[] {
  const eocdMin = 22;
  const searchFrom = Math.max(0, bytes.length - eocdMin - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - eocdMin; i >= searchFrom; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = Math.min(bytes.readUInt16LE(eocd + 10), maxEntries);
  let offset = bytes.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== 0x02014b50) break;
    const flags = bytes.readUInt16LE(offset + 8);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    if (offset + 46 + nameLength > bytes.length) break;
    names.push(decodeName(bytes.subarray(offset + 46, offset + 46 + nameLength), flags));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

export interface ZipEntryInfo {
  /** Path inside the archive with '/' separators. */
  name: string;
  /** As declared by the archive: not to be trusted, only to refuse early. */
  declaredBytes: number;
}

function zipTooLarge(message: string, details: Record<string, number>): ImportFileError {
  return new ImportFileError('ZIP_TOO_LARGE', message, details);
}

function malformed(error: unknown): ImportFileError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ImportFileError('MALFORMED', `The zip archive cannot be read: ${reason}.`);
}

/**
 * A zip held in memory, opened with its size limits checked: the entry count and the declared
 * uncompressed sizes before anything is inflated, then the bytes actually inflated (shared budget
 * over all reads) so that an archive whose headers lie is stopped too. Nothing touches the disk.
 */
export class SafeZip {
  private inflatedBytes = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly byName: Map<string, yauzl.Entry>,
    readonly entries: ZipEntryInfo[],
    private readonly limits: ImportLimits,
  ) {}

  static async open(bytes: Buffer, limits: ImportLimits): Promise<SafeZip> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, zipFile) => (error ? reject(malformed(error)) : resolve(zipFile)));
    });
    if (zip.entryCount > limits.maxZipEntries) {
      zip.close();
      throw zipTooLarge(`The zip archive has ${zip.entryCount} entries; at most ${limits.maxZipEntries} are accepted.`, {
        entryCount: zip.entryCount,
        maxZipEntries: limits.maxZipEntries,
      });
    }
    const byName = new Map<string, yauzl.Entry>();
    const entries: ZipEntryInfo[] = [];
    let declaredTotal = 0;
    await new Promise<void>((resolve, reject) => {
      let count = 0;
      zip.on('error', (error: unknown) => reject(malformed(error)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        count += 1;
        declaredTotal += entry.uncompressedSize;
        if (count > limits.maxZipEntries) {
          reject(zipTooLarge(`The zip archive has more than ${limits.maxZipEntries} entries.`, { maxZipEntries: limits.maxZipEntries }));
          return;
        }
        if (declaredTotal > limits.maxUncompressedBytes) {
          reject(
            zipTooLarge(`The zip archive would inflate to more than ${limits.maxUncompressedBytes} bytes.`, {
              declaredBytes: declaredTotal,
              maxUncompressedBytes: limits.maxUncompressedBytes,
            }),
          );
          return;
        }
        const name = decodeName(entry.fileNameRaw, entry.generalPurposeBitFlag);
        if (!byName.has(name)) {
          byName.set(name, entry);
          entries.push({ name, declaredBytes: entry.uncompressedSize });
        }
        zip.readEntry();
      });
      zip.readEntry();
    }).catch((error: unknown) => {
      zip.close();
      throw error;
    });
    return new SafeZip(zip, byName, entries, limits);
  }

  /** Inflates one entry into memory, aborting once the archive's inflated total passes the limit. */
  async read(name: string): Promise<Buffer> {
    const entry = this.byName.get(name);
    if (!entry) throw new ImportFileError('MALFORMED', `The zip archive has no entry ${name}.`);
    if (entry.isEncrypted()) throw new ImportFileError('MALFORMED', `The zip entry ${name} is encrypted.`);
    const stream = await new Promise<Readable>((resolve, reject) => {
      this.zip.openReadStream(entry, (error, readStream) => (error ? reject(malformed(error)) : resolve(readStream)));
    });
    const chunks: Buffer[] = [];
    return new Promise<Buffer>((resolve, reject) => {
      let settled = false;
      const fail = (error: ImportFileError) => {
        if (settled) return;
        settled = true;
        stream.destroy();
        reject(error);
      };
      stream.on('data', (chunk: Buffer) => {
        this.inflatedBytes += chunk.length;
        if (this.inflatedBytes > this.limits.maxUncompressedBytes) {
          fail(
            zipTooLarge(`The zip archive inflates to more than ${this.limits.maxUncompressedBytes} bytes.`, {
              maxUncompressedBytes: this.limits.maxUncompressedBytes,
            }),
          );
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (error: Error) => {
        // yauzl stops an entry that inflates past the size its header declares.
        if (/too many bytes in the stream/.test(error.message)) {
          fail(
            zipTooLarge(`The zip entry ${name} inflates to more than its header declares (${entry.uncompressedSize} bytes).`, {
              declaredBytes: entry.uncompressedSize,
            }),
          );
        } else {
          fail(malformed(error));
        }
      });
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(Buffer.concat(chunks));
      });
    });
  }

  close(): void {
    this.zip.close();
  }
}
