import { detectFormat, ImportFileError, parseImportFile } from './index';
import { buildShapefile, buildZip, UTM_49S_PRJ, WGS84_PRJ } from './import-fixtures.testing';

const text = (value: string) => Buffer.from(value, 'utf8');

describe('detectFormat', () => {
  const kmz = buildZip([
    { name: 'doc.kml', data: '<kml/>' },
    { name: 'images/icon-1.png', data: 'png' },
  ]);
  const { shp, dbf } = buildShapefile([{ type: 'point', x: 113, y: -2.5 }], ['a']);
  const shapeZip = buildZip([
    { name: 'jalur/kabel.shp', data: shp },
    { name: 'jalur/kabel.dbf', data: dbf },
    { name: '__MACOSX/jalur/._kabel.kml', data: 'x' },
  ]);

  it.each([
    ['upload.bin', kmz, 'kmz'],
    ['upload.zip', kmz, 'kmz'],
    ['upload.kmz', shapeZip, 'shapefile'],
    ['kabel.zip', shapeZip, 'shapefile'],
    ['noext', text('\uFEFF  <?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"></kml>'), 'kml'],
    ['data.txt', text('{"type":"FeatureCollection","features":[]}'), 'geojson'],
    ['data.json', text('[]'), 'geojson'],
    ['titik.csv', text('nama;lat;lon\nA;-2,5;113,1'), 'csv'],
    ['titik', text('nama,x,y\nA,113.1,-2.5'), 'csv'],
  ])('%s', (fileName, bytes, format) => {
    expect(detectFormat(fileName, bytes)).toBe(format);
  });

  it('refuses what it does not know, with the accepted formats in the message', () => {
    expect(() => detectFormat('peta.pdf', text('%PDF-1.4'))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('GeoJSON, KML, KMZ') }),
    );
    expect(() => detectFormat('kabel.shp', shp)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('.zip') }));
    expect(() => detectFormat('x.zip', buildZip([{ name: 'readme.txt', data: 'hi' }]))).toThrow(ImportFileError);
  });
});

describe('GeoJSON', () => {
  it('reads a bare geometry and a single Feature, dropping Z', async () => {
    const bare = await parseImportFile('a.geojson', text('{"type":"LineString","coordinates":[[113,-2.5,10],[113.1,-2.6,12]]}'));
    expect(bare).toEqual({
      format: 'geojson',
      sourceCrs: 'EPSG:4326',
      features: [
        {
          index: 0,
          sourceId: null,
          positional: false,
          folder: [],
          geometry: {
            type: 'LineString',
            coordinates: [
              [113, -2.5],
              [113.1, -2.6],
            ],
          },
          properties: {},
        },
      ],
      problems: [],
    });
    const feature = await parseImportFile(
      'b.json',
      text('{"type":"Feature","id":7,"properties":{"nama":"ODP","meta":{"a":1}},"geometry":{"type":"Point","coordinates":[113,-2.5]}}'),
    );
    expect(feature.features[0]).toMatchObject({ sourceId: '7', properties: { nama: 'ODP', meta: '{"a":1}' } });
  });

  it('reprojects a legacy crs member that proj4 knows (UTM 49S) and refuses one it does not', async () => {
    const utm =
      '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32749"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[500000,9723000]}}]}';
    const parsed = await parseImportFile('utm.geojson', text(utm));
    expect(parsed.sourceCrs).toBe('EPSG:32749 (legacy crs member: urn:ogc:def:crs:EPSG::32749)');
    const [lon, lat] = (parsed.features[0].geometry as { coordinates: number[] }).coordinates;
    expect(lon).toBeCloseTo(111, 6);
    expect(lat).toBeCloseTo(-2.5061, 3); // 277 km south of the equator
    const unknown = utm.replace('32749', '23889');
    await expect(parseImportFile('dgn.geojson', text(unknown))).rejects.toMatchObject({ code: 'PRJ_UNREADABLE', message: expect.stringContaining('23889') });
  });

  it('reports broken features and keeps coordinates outside lon/lat range (swapped lat/lon is for the caller)', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [-2.5, 113] } },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113, -2.5],
                [113.1, -2.5],
                [113.1, -2.4],
              ],
            ],
          },
        },
        { type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: [] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: ['113', -2.5] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Circle', coordinates: [113, -2.5] } },
        'not a feature',
      ],
    };
    const parsed = await parseImportFile('mixed.geojson', text(JSON.stringify(collection)));
    expect(parsed.features.map((f) => f.index)).toEqual([0]);
    expect(parsed.problems.map((p) => [p.index, p.code])).toEqual([
      [1, 'INVALID_GEOMETRY'],
      [2, 'EMPTY_GEOMETRY'],
      [3, 'NON_FINITE_COORDINATE'],
      [4, 'INVALID_GEOMETRY'],
      [5, 'INVALID_FEATURE'],
    ]);
  });

  it('says MALFORMED for broken JSON and NO_FEATURES for an empty collection', async () => {
    await expect(parseImportFile('x.geojson', text('{"type":"FeatureCollection",'))).rejects.toMatchObject({ code: 'MALFORMED' });
    await expect(parseImportFile('x.geojson', text('{"type":"FeatureCollection","features":[]}'))).rejects.toMatchObject({ code: 'NO_FEATURES' });
  });
});

describe('KML', () => {
  const doc = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Jaringan Kotim</name>
  <Folder><name>Backbone</name>
    <Folder><name>Tahap 1</name>
      <Placemark id="seg-1"><name>NOC - Dinas Kesehatan</name><description>Kabel udara 24 core</description>
        <ExtendedData><Data name="core"><value>24</value></Data><SchemaData schemaUrl="#s"><SimpleData name="kontraktor">PT Serat</SimpleData></SchemaData></ExtendedData>
        <LineString><coordinates>112.95,-2.54,0 112.96,-2.55,0</coordinates></LineString></Placemark>
    </Folder>
  </Folder>
  <Placemark><name>Tanpa posisi</name></Placemark>
  <Placemark><name>ODP</name><Point><coordinates>112.97,-2.56</coordinates></Point></Placemark>
</Document></kml>`;

  it('keeps folder paths, ids, name, description and ExtendedData', async () => {
    const parsed = await parseImportFile('kotim.kml', text(doc));
    expect(parsed.features[0]).toEqual({
      index: 0,
      sourceId: 'seg-1',
      positional: false,
      folder: ['Backbone', 'Tahap 1'],
      geometry: {
        type: 'LineString',
        coordinates: [
          [112.95, -2.54],
          [112.96, -2.55],
        ],
      },
      properties: expect.objectContaining({ name: 'NOC - Dinas Kesehatan', description: 'Kabel udara 24 core', core: '24', kontraktor: 'PT Serat' }),
    });
    expect(parsed.features[1]).toMatchObject({ index: 2, folder: [], properties: { name: 'ODP' } });
    expect(parsed.problems).toEqual([{ index: 1, sourceId: null, code: 'NULL_GEOMETRY', message: expect.any(String) }]);
  });

  it('reads a KML in another encoding declared in its XML declaration', async () => {
    const latin1 = Buffer.from(doc.replace('UTF-8', 'ISO-8859-1').replace('Tanpa posisi', 'Café'), 'latin1');
    const parsed = await parseImportFile('latin1.kml', latin1);
    expect(parsed.problems[0]).toMatchObject({ code: 'NULL_GEOMETRY' });
    expect(parsed.features).toHaveLength(2);
  });

  it('says MALFORMED for XML that is not well formed', async () => {
    await expect(parseImportFile('bad.kml', text('<kml><Document><Placemark></Document></kml>'))).rejects.toMatchObject({ code: 'MALFORMED' });
  });
});

describe('CSV', () => {
  it('reads a WKT column, with EWKT SRIDs and Z dropped', async () => {
    const csv = [
      'id,nama,WKT',
      '1,"Kabel, udara","LINESTRING Z (112.95 -2.54 3, 112.96 -2.55 4)"',
      '2,ODP,POINT(112.97 -2.56)',
      '3,Rusak,LINESTRING(112.95 -2.54)',
      '4,Salah,POINT(112.97',
      '5,UTM,SRID=32749;POINT(500000 9723000)',
      '6,Kosong,',
    ].join('\r\n');
    const parsed = await parseImportFile('kabel.csv', text(csv));
    expect(parsed.features.map((f) => [f.sourceId, f.geometry.type])).toEqual([
      ['1', 'LineString'],
      ['2', 'Point'],
      ['5', 'Point'],
    ]);
    expect(parsed.features[0]).toMatchObject({
      geometry: {
        coordinates: [
          [112.95, -2.54],
          [112.96, -2.55],
        ],
      },
      properties: { id: '1', nama: 'Kabel, udara' },
    });
    expect(parsed.features[0].properties).not.toHaveProperty('WKT');
    expect(parsed.features[2].geometry).toEqual({ type: 'Point', coordinates: [expect.closeTo(111, 6), expect.closeTo(-2.5061, 3)] });
    expect(parsed.problems.map((p) => [p.sourceId, p.code])).toEqual([
      ['3', 'INVALID_GEOMETRY'],
      ['4', 'UNPARSEABLE_WKT'],
      ['6', 'MISSING_COORDINATES'],
    ]);
  });

  it('reads ";" with decimal commas and a BOM, keeping codes as text', async () => {
    const csv = '\uFEFFkode;Nama SOPD;Lintang;Bujur\n62.02.05;Dinas Kominfo;-2,5391;112,9542\n62.02.06;Tanpa;;\n62.02.07;Huruf;abc;112\n';
    const parsed = await parseImportFile('sopd.csv', text(csv));
    expect(parsed.features).toEqual([
      {
        index: 0,
        sourceId: 'line 2',
        // "kode" is not an id column: the line number only says where the row stands.
        positional: true,
        folder: [],
        geometry: { type: 'Point', coordinates: [112.9542, -2.5391] },
        properties: { kode: '62.02.05', 'Nama SOPD': 'Dinas Kominfo' },
      },
    ]);
    expect(parsed.problems.map((p) => p.code)).toEqual(['MISSING_COORDINATES', 'NON_FINITE_COORDINATE']);
  });

  it('reads lon/lat columns in any case with "," and refuses a CSV without geometry columns', async () => {
    const parsed = await parseImportFile('t.csv', text('Name,LONGITUDE,LATITUDE\nA,112.9,-2.5\n'));
    expect(parsed.features[0].geometry).toEqual({ type: 'Point', coordinates: [112.9, -2.5] });
    await expect(parseImportFile('t.csv', text('nama,alamat\nA,Jl. Ahmad Yani\n'))).rejects.toMatchObject({ code: 'MALFORMED' });
  });
});

describe('shapefile zips', () => {
  const line = {
    type: 'line' as const,
    points: [
      [112.95, -2.54],
      [112.96, -2.55],
    ] as [number, number][],
  };

  it('reprojects with the .prj (UTM 49S) and takes the .cpg encoding', async () => {
    const { shp, dbf } = buildShapefile([{ type: 'point', x: 500000, y: 9723000 }], [Buffer.from('Kantor Camat Baamang é', 'latin1')]);
    const zip = buildZip([
      { name: 'Tiang.SHP', data: shp },
      { name: 'Tiang.DBF', data: dbf },
      { name: 'Tiang.prj', data: UTM_49S_PRJ },
      { name: 'Tiang.cpg', data: '1252' },
    ]);
    const parsed = await parseImportFile('tiang.zip', zip);
    expect(parsed.sourceCrs).toBe('WGS_1984_UTM_Zone_49S');
    expect(parsed.features[0]).toMatchObject({ sourceId: '1', positional: true, folder: [], properties: { NAME: 'Kantor Camat Baamang é' } });
    expect((parsed.features[0].geometry as { coordinates: number[] }).coordinates[0]).toBeCloseTo(111, 6);
  });

  it('reads dbf text as UTF-8 by default and falls back to Latin-1 when it is not valid UTF-8', async () => {
    const utf8 = buildShapefile([line], ['Jalan Tjilik Riwut – KM 5']);
    const latin1 = buildShapefile([line], [Buffer.from('Baamang Hulu ñ', 'latin1')]);
    const zip = buildZip([
      { name: 'a/utf.shp', data: utf8.shp },
      { name: 'a/utf.dbf', data: utf8.dbf },
      { name: 'a/utf.prj', data: WGS84_PRJ },
      { name: 'a/lat.shp', data: latin1.shp },
      { name: 'a/lat.dbf', data: latin1.dbf },
      { name: 'a/lat.prj', data: WGS84_PRJ },
    ]);
    const parsed = await parseImportFile('two.zip', zip);
    expect(parsed.features.map((f) => [f.index, f.folder, f.properties.NAME])).toEqual([
      [0, ['utf'], 'Jalan Tjilik Riwut – KM 5'],
      [1, ['lat'], 'Baamang Hulu ñ'],
    ]);
    expect(parsed.sourceCrs).toBe('GCS_WGS_1984');
  });

  it('assumes WGS84 without a .prj when every coordinate is a longitude/latitude', async () => {
    const { shp, dbf } = buildShapefile([line], ['A']);
    const parsed = await parseImportFile(
      'noprj.zip',
      buildZip([
        { name: 'k.shp', data: shp },
        { name: 'k.dbf', data: dbf },
      ]),
    );
    expect(parsed.sourceCrs).toBe('WGS84 (assumed: no .prj)');
    expect(parsed.features[0].geometry).toEqual({ type: 'LineString', coordinates: line.points });
  });
});
