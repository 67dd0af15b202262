/**
 * Builders of small import files for the specs: zip archives (including ones whose headers lie),
 * shapefiles. Test support only; nothing in the importer uses it.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  data: Buffer | string;
  /** Default: deflate. */
  store?: boolean;
  /** Written as the uncompressed size instead of the real one: a lying header. */
  declaredBytes?: number;
}

export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const compressed = entry.store ? data : deflateRawSync(data, { level: 9 });
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredBytes ?? data.length;
    const crc = crc32(data);
    const method = entry.store ? 0 : 8;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export type ShapeRecord = { type: 'point'; x: number; y: number } | { type: 'line'; points: [number, number][] };

/** A .shp (Point or PolyLine, all records of one type) and its .shx-less companion .dbf with one text field NAME. */
export function buildShapefile(records: ShapeRecord[], names: (string | Buffer)[]): { shp: Buffer; dbf: Buffer } {
  const shapeType = records[0]?.type === 'line' ? 3 : 1;
  const contents = records.map((record) => {
    if (record.type === 'point') {
      const content = Buffer.alloc(20);
      content.writeInt32LE(1, 0);
      content.writeDoubleLE(record.x, 4);
      content.writeDoubleLE(record.y, 12);
      return content;
    }
    const content = Buffer.alloc(44 + 4 + 16 * record.points.length);
    const xs = record.points.map((p) => p[0]);
    const ys = record.points.map((p) => p[1]);
    content.writeInt32LE(3, 0);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => content.writeDoubleLE(v, 4 + 8 * i));
    content.writeInt32LE(1, 36);
    content.writeInt32LE(record.points.length, 40);
    content.writeInt32LE(0, 44);
    record.points.forEach(([x, y], i) => {
      content.writeDoubleLE(x, 48 + 16 * i);
      content.writeDoubleLE(y, 56 + 16 * i);
    });
    return content;
  });
  const body = Buffer.concat(
    contents.map((content, i) => {
      const header = Buffer.alloc(8);
      header.writeInt32BE(i + 1, 0);
      header.writeInt32BE(content.length / 2, 4);
      return Buffer.concat([header, content]);
    }),
  );
  const header = Buffer.alloc(100);
  header.writeInt32BE(9994, 0);
  header.writeInt32BE((100 + body.length) / 2, 24);
  header.writeInt32LE(1000, 28);
  header.writeInt32LE(shapeType, 32);
  const shp = Buffer.concat([header, body]);

  const fieldLength = 40;
  const dbfHeader = Buffer.alloc(32 + 32 + 1);
  dbfHeader.writeUInt8(0x03, 0);
  dbfHeader.writeUInt32LE(names.length, 4);
  dbfHeader.writeUInt16LE(dbfHeader.length, 8);
  dbfHeader.writeUInt16LE(1 + fieldLength, 10);
  dbfHeader.write('NAME', 32, 'latin1');
  dbfHeader.write('C', 32 + 11, 'latin1');
  dbfHeader.writeUInt8(fieldLength, 32 + 16);
  dbfHeader.writeUInt8(0x0d, 64);
  const rows = names.map((name) => {
    const row = Buffer.alloc(1 + fieldLength, 0x20);
    (Buffer.isBuffer(name) ? name : Buffer.from(name, 'utf8')).copy(row, 1, 0, fieldLength);
    return row;
  });
  const dbf = Buffer.concat([dbfHeader, ...rows, Buffer.from([0x1a])]);
  return { shp, dbf };
}

export const WGS84_PRJ = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** WGS 84 / UTM zone 49S (EPSG:32749), the zone of Sampit, as ESRI writes it. */
export const UTM_49S_PRJ =
  'PROJCS["WGS_1984_UTM_Zone_49S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
