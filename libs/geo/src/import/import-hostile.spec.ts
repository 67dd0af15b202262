import type { Feature, FeatureCollection } from 'geojson';
import { ImportFileError, parseImportFile, type ImportFileErrorCode } from './index';
import { buildShapefile, buildZip } from './import-fixtures.testing';

async function expectImportError(promise: Promise<unknown>, code: ImportFileErrorCode): Promise<ImportFileError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportFileError);
  expect((error as ImportFileError).code).toBe(code);
  return error as ImportFileError;
}

const MIB = 1024 * 1024;
const kml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>${body}</Document></kml>`;
const placemark = '<Placemark><name>ODP-01</name><Point><coordinates>112.95,-2.54</coordinates></Point></Placemark>';

describe('zip bombs', () => {
  // 8 MiB of one character deflates to a few kB.
  const bomb = kml(`<!-- ${'A'.repeat(8 * MIB)} -->${placemark}`);

  it('refuses a KMZ whose declared uncompressed size passes the limit, before inflating', async () => {
    const kmz = buildZip([{ name: 'doc.kml', data: bomb }]);
    expect(kmz.length).toBeLessThan(64 * 1024);
    const error = await expectImportError(parseImportFile('bomb.kmz', kmz, { maxUncompressedBytes: MIB }), 'ZIP_TOO_LARGE');
    expect(error.message).toBe(`The zip archive would inflate to more than ${MIB} bytes.`);
  });

  it('stops a KMZ whose header lies about the size while inflating', async () => {
    const kmz = buildZip([{ name: 'doc.kml', data: bomb, declaredBytes: 1000 }]);
    const error = await expectImportError(parseImportFile('liar.kmz', kmz, { maxUncompressedBytes: MIB }), 'ZIP_TOO_LARGE');
    expect(error.message).toContain('inflates to more than its header declares');
  });

  it('counts the bytes inflated over all entries of a shapefile zip', async () => {
    const { shp, dbf } = buildShapefile([{ type: 'point', x: 112.95, y: -2.54 }], ['ODP-01']);
    // Each entry tells the truth but together they pass the limit: the declared total stops it.
    const zip = buildZip([
      { name: 'a.shp', data: shp },
      { name: 'a.dbf', data: dbf },
      { name: 'padding.txt', data: 'x'.repeat(2 * MIB) },
    ]);
    await expectImportError(parseImportFile('layers.zip', zip, { maxUncompressedBytes: MIB }), 'ZIP_TOO_LARGE');
  });

  it('refuses a zip with too many entries', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `images/icon-${i}.png`, data: 'png' }));
    const kmz = buildZip([{ name: 'doc.kml', data: kml(placemark) }, ...entries]);
    await expectImportError(parseImportFile('many.kmz', kmz, { maxZipEntries: 10 }), 'ZIP_TOO_LARGE');
    await expect(parseImportFile('many.kmz', kmz)).resolves.toMatchObject({ features: [{ properties: { name: 'ODP-01' } }] });
  });
});

describe('XML declarations', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE kml [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&lol9;</name><Point><coordinates>0,0</coordinates></Point></Placemark></kml>`;
  const externalEntity = `<?xml version="1.0"?>
<!doctype kml [ <!entity xxe SYSTEM "file:///etc/passwd"> ]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name><Point><coordinates>0,0</coordinates></Point></Placemark></kml>`;

  it('refuses entity expansion (billion laughs) in a KML', async () => {
    await expectImportError(parseImportFile('laughs.kml', Buffer.from(billionLaughs)), 'XML_FORBIDDEN');
  });

  it('refuses an external entity, in a KML and inside a KMZ', async () => {
    const error = await expectImportError(parseImportFile('xxe.kml', Buffer.from(externalEntity)), 'XML_FORBIDDEN');
    expect(error.message).not.toContain('root:');
    await expectImportError(parseImportFile('xxe.kmz', buildZip([{ name: 'doc.kml', data: externalEntity }])), 'XML_FORBIDDEN');
  });

  it('refuses a bare <!ENTITY and a DOCTYPE after a comment', async () => {
    await expectImportError(parseImportFile('e.kml', Buffer.from(kml(`<!ENTITY x "y">${placemark}`))), 'XML_FORBIDDEN');
    await expectImportError(parseImportFile('c.kml', Buffer.from(`<!-- <![CDATA[ --><!DOCTYPE kml>${kml(placemark)}`)), 'XML_FORBIDDEN');
  });

  it('accepts HTML with a doctype inside a CDATA description: it is text, not a declaration', async () => {
    const body =
      '<Placemark><name>ODC</name><description><![CDATA[<!DOCTYPE html><p>Tiang PLN</p>]]></description><Point><coordinates>112.95,-2.54</coordinates></Point></Placemark>';
    const parsed = await parseImportFile('html.kml', Buffer.from(kml(body)));
    expect(parsed.features[0].properties.description).toBe('<!DOCTYPE html><p>Tiang PLN</p>');
  });
});

describe('size and count limits', () => {
  it('refuses a file over maxFileBytes before looking at it', async () => {
    const bytes = Buffer.alloc(2048, 0xff);
    const error = await expectImportError(parseImportFile('big.geojson', bytes, { maxFileBytes: 1024 }), 'FILE_TOO_LARGE');
    expect(error.details).toEqual({ fileBytes: 2048, maxFileBytes: 1024 });
  });

  it('refuses more features than maxFeatures', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: Array.from({ length: 11 }, () => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [113, -2.5] } })),
    };
    await expectImportError(parseImportFile('n.geojson', Buffer.from(JSON.stringify(collection)), { maxFeatures: 10 }), 'TOO_MANY_FEATURES');
    await expectImportError(parseImportFile('n.kml', Buffer.from(kml(placemark.repeat(11))), { maxFeatures: 10 }), 'TOO_MANY_FEATURES');
    const csv = ['lon,lat', ...Array.from({ length: 11 }, () => '113,-2.5')].join('\n');
    await expectImportError(parseImportFile('n.csv', Buffer.from(csv), { maxFeatures: 10 }), 'TOO_MANY_FEATURES');
    await expect(parseImportFile('n.csv', Buffer.from(csv), { maxFeatures: 11 })).resolves.toMatchObject({ format: 'csv' });
  });

  it('makes a feature with more vertices than allowed a problem', async () => {
    const coordinates = Array.from({ length: 101 }, (_, i) => [113 + i / 1000, -2.5]);
    const collection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } }] };
    const parsed = await parseImportFile('long.geojson', Buffer.from(JSON.stringify(collection)), { maxVerticesPerFeature: 100 });
    expect(parsed.features).toEqual([]);
    expect(parsed.problems).toEqual([expect.objectContaining({ index: 0, code: 'TOO_MANY_VERTICES' })]);
  });
});

describe('one broken feature among many', () => {
  function collection(broken: Feature['geometry'] | { type: string; coordinates: unknown }): FeatureCollection {
    const features = Array.from({ length: 5000 }, (_, i): Feature => ({
      type: 'Feature',
      id: `seg-${i}`,
      properties: { n: i },
      geometry: {
        type: 'LineString',
        coordinates: [
          [113 + i / 10000, -2.5],
          [113 + i / 10000, -2.49],
        ],
      },
    }));
    features[1234].geometry = broken as Feature['geometry'];
    return { type: 'FeatureCollection', features };
  }

  it.each([
    [
      'a NaN coordinate (null in JSON)',
      {
        type: 'LineString',
        coordinates: [
          [113, -2.5],
          [null, -2.49],
        ],
      },
      'NON_FINITE_COORDINATE',
    ],
    ['a LineString with one position', { type: 'LineString', coordinates: [[113, -2.5]] }, 'INVALID_GEOMETRY'],
    ['a null geometry', null, 'NULL_GEOMETRY'],
  ])('keeps 4,999 features and reports %s', async (_, broken, code) => {
    const parsed = await parseImportFile('segments.geojson', Buffer.from(JSON.stringify(collection(broken as Feature['geometry']))));
    expect(parsed.features).toHaveLength(4999);
    expect(parsed.problems).toEqual([{ index: 1234, sourceId: 'seg-1234', code, message: expect.any(String) }]);
    expect(parsed.features[1234]).toMatchObject({ index: 1235, sourceId: 'seg-1235', properties: { n: 1235 } });
  });
});

describe('shapefile .prj', () => {
  const { shp, dbf } = buildShapefile([{ type: 'point', x: 512345, y: 9712345 }], ['ODP-01']);

  it('refuses a .prj that is gibberish', async () => {
    const zip = buildZip([
      { name: 'odp.shp', data: shp },
      { name: 'odp.dbf', data: dbf },
      { name: 'odp.prj', data: 'this is not a coordinate system %$#@' },
    ]);
    await expectImportError(parseImportFile('odp.zip', zip), 'PRJ_UNREADABLE');
  });

  it('names the coordinate system of a .prj that proj4 cannot use', async () => {
    const prj =
      'PROJCS["DGN95_Indonesia_Mystery",GEOGCS["GCS_DGN_1995",DATUM["D_Datum_Geodesi_Nasional_1995",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Made_Up_Projection"],UNIT["Meter",1.0]]';
    const zip = buildZip([
      { name: 'odp.shp', data: shp },
      { name: 'odp.dbf', data: dbf },
      { name: 'odp.prj', data: prj },
    ]);
    const error = await expectImportError(parseImportFile('odp.zip', zip), 'PRJ_UNREADABLE');
    expect(error.message).toContain('DGN95_Indonesia_Mystery');
  });

  it('refuses projected coordinates without a .prj', async () => {
    const zip = buildZip([
      { name: 'odp.shp', data: shp },
      { name: 'odp.dbf', data: dbf },
    ]);
    await expectImportError(parseImportFile('odp.zip', zip), 'PRJ_MISSING');
  });
});
