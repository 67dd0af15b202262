import sharp from 'sharp';
import { startApi, testConfig } from './support/apps';
import { bearer } from './support/auth';
import { phonePhoto } from './support/photos';
import { useTestServer } from './support/server';

describe('evidence of field work', () => {
  const dataDir = `/tmp/serat-evidence-${process.pid}`;
  // SERAT_PHOTO_STORE left at its default: the database.
  const server = useTestServer({ seeded: true, roles: ['technician'], env: { SERAT_DATA_DIR: dataDir } });

  const upload = async (bytes: Buffer, name = 'foto.jpg', type = 'image/jpeg', as = server.token('technician'), baseUrl = server.api.baseUrl) => {
    const form = new FormData();
    form.append('photo', new Blob([new Uint8Array(bytes)], { type }), name);
    const response = await fetch(`${baseUrl}/api/photos`, { method: 'POST', headers: bearer(as), body: form });
    return { status: response.status, body: await response.json() };
  };
  const changeStatus = async (id: string, body: unknown) => {
    const response = await fetch(`${server.api.baseUrl}/api/segments/${id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(server.token('technician')) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const segmentIn = async (status: string, offset = 0) =>
    (await server.db.dataSource.query(`SELECT id, version FROM segments WHERE status = $1 ORDER BY code OFFSET $2 LIMIT 1`, [status, offset]))[0];

  it('takes a phone photo, reads its EXIF position and time, and serves it and a thumbnail', async () => {
    const uploaded = await upload(await phonePhoto());
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual(expect.objectContaining({ contentType: 'image/jpeg', width: 1600, height: 1200, takenAt: '2026-11-27T08:15:00.000Z' }));
    expect(uploaded.body.exifPosition.lat).toBeCloseTo(-2.53694, 4);
    expect(uploaded.body.exifPosition.lon).toBeCloseTo(112.95556, 4);
    const thumb = await fetch(`${server.api.baseUrl}/api/photos/${uploaded.body.id}/thumbnail`, { headers: bearer(server.token('technician')) });
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(320);
    const original = await fetch(`${server.api.baseUrl}/api/photos/${uploaded.body.id}`, { headers: bearer(server.token('technician')) });
    expect(Buffer.from(await original.arrayBuffer()).length).toBe(uploaded.body.sizeBytes);
  });

  /** The photo as served, with the headers a browser and the service worker rely on. */
  const served = async (id: string, thumbnail = false) => {
    const response = await fetch(`${server.api.baseUrl}/api/photos/${id}${thumbnail ? '/thumbnail' : ''}`, { headers: bearer(server.token('technician')) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, max-age=86400, immutable');
    expect(response.headers.get('content-disposition')).toBe('inline');
    return { contentType: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
  };

  it('keeps photos in the database by default and serves them back byte for byte', async () => {
    const bytes = await phonePhoto();
    const uploaded = await upload(bytes);
    expect(uploaded.status).toBe(201);
    const [row] = await server.db.dataSource.query(
      `SELECT p.store, count(b.key)::int AS blobs FROM photos p LEFT JOIN photo_blobs b ON b.photo_id = p.id WHERE p.id = $1 GROUP BY p.store`,
      [uploaded.body.id],
    );
    expect(row).toEqual({ store: 'database', blobs: 2 });
    const original = await served(uploaded.body.id);
    expect(original.contentType).toBe('image/jpeg');
    expect(original.bytes.equals(bytes)).toBe(true);
    expect((await served(uploaded.body.id, true)).contentType).toBe('image/webp');
    const missing = await fetch(`${server.api.baseUrl}/api/photos/00000000-0000-4000-8000-000000000000`, { headers: bearer(server.token('technician')) });
    expect(missing.status).toBe(404);
  });

  it('still serves photos an api with SERAT_PHOTO_STORE=disk stored, after the switch to the database', async () => {
    const diskApi = await startApi(testConfig(server.db.url, { SERAT_DATA_DIR: dataDir, SERAT_PHOTO_STORE: 'disk' }));
    const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    let uploaded: { status: number; body: { id: string } };
    try {
      uploaded = await upload(bytes, 'foto.png', 'image/png', server.token('technician'), diskApi.baseUrl);
    } finally {
      await diskApi.close();
    }
    expect(uploaded.status).toBe(201);
    expect((await server.db.dataSource.query(`SELECT store FROM photos WHERE id = $1`, [uploaded.body.id]))[0].store).toBe('disk');
    const original = await served(uploaded.body.id);
    expect(original.contentType).toBe('image/png');
    expect(original.bytes.equals(bytes)).toBe(true);
    const thumbnail = await served(uploaded.body.id, true);
    expect(thumbnail.contentType).toBe('image/webp');
    expect((await sharp(thumbnail.bytes).metadata()).width).toBe(320);
  });

  it('refuses what is not a photo whatever its name or type says, and oversized files', async () => {
    const fake = await upload(Buffer.from('%PDF-1.7 not a photo'), 'foto.jpg', 'image/jpeg');
    expect(fake.status).toBe(415);
    expect(fake.body.error.code).toBe('PHOTO_INVALID');
    const gif = await upload(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
        .gif()
        .toBuffer(),
      'x.gif',
      'image/gif',
    );
    expect(gif.status).toBe(415);
    const huge = await upload(Buffer.alloc(16 * 1024 * 1024, 1), 'big.jpg');
    expect(huge.status).toBe(413);
    const none = await fetch(`${server.api.baseUrl}/api/photos`, { method: 'POST', headers: bearer(server.token('technician')), body: new FormData() });
    expect(none.status).toBe(400);
  });

  it('needs a photo or a GPS position to mark a segment installed, and keeps the evidence in its history', async () => {
    const segment = await segmentIn('in_construction');
    const bare = await changeStatus(segment.id, { status: 'installed', version: segment.version });
    expect(bare.status).toBe(422);
    expect(bare.body.error).toEqual(expect.objectContaining({ code: 'EVIDENCE_REQUIRED', details: { status: 'installed', anyOf: 'photo | gps' } }));
    const photo = await upload(await phonePhoto());
    const done = await changeStatus(segment.id, { status: 'installed', version: segment.version, note: 'kabel udara terpasang', evidence: { photoIds: [photo.body.id] } });
    expect(done.status).toBe(201);
    const history = await (await fetch(`${server.api.baseUrl}/api/segments/${segment.id}/history`, { headers: bearer(server.token('technician')) })).json();
    expect(history.history[0]).toEqual(expect.objectContaining({ toStatus: 'installed', note: 'kabel udara terpasang', photoIds: [photo.body.id] }));
    // A photo serves one change only.
    const reuse = await changeStatus(segment.id, { status: 'spliced', version: segment.version + 1, evidence: { photoIds: [photo.body.id] } });
    expect(reuse.status).toBe(422);
    expect(reuse.body.error.code).toBe('PHOTO_NOT_USABLE');
  });

  it('needs an OTDR reading to mark a segment tested', async () => {
    const segment = await segmentIn('spliced');
    expect((await changeStatus(segment.id, { status: 'tested', version: segment.version })).body.error.code).toBe('EVIDENCE_REQUIRED');
    const tested = await changeStatus(segment.id, {
      status: 'tested',
      version: segment.version,
      evidence: { otdr: { lengthM: 1234.5, lossDb: 0.8, wavelengthNm: 1550 }, gps: { lon: 112.95, lat: -2.53 } },
    });
    expect(tested.status).toBe(201);
    const history = await (await fetch(`${server.api.baseUrl}/api/segments/${segment.id}/history`, { headers: bearer(server.token('technician')) })).json();
    expect(history.history[0].otdr).toEqual({ lengthM: 1234.5, lossDb: 0.8, wavelengthNm: 1550 });
    expect(history.history[0].gps).toEqual({ lon: 112.95, lat: -2.53, accuracyM: null });
  });

  it('moves a whole route at once, or nothing when one segment refuses', async () => {
    const planned = await server.db.dataSource.query(`SELECT id, version FROM segments WHERE status = 'planned' ORDER BY code LIMIT 3`);
    const bulk = (segments: unknown[]) =>
      fetch(`${server.api.baseUrl}/api/segments/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(server.token('technician')) },
        body: JSON.stringify({ status: 'surveyed', segments }),
      });
    const stale = await bulk(planned.map((s: { id: string; version: number }, i: number) => ({ id: s.id, version: i === 2 ? s.version + 5 : s.version })));
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.details).toEqual(expect.objectContaining({ segmentId: planned[2].id, index: 2 }));
    const [unchanged] = await server.db.dataSource.query(`SELECT count(*)::int AS n FROM segments WHERE id = ANY($1) AND status = 'planned'`, [
      planned.map((s: { id: string }) => s.id),
    ]);
    expect(unchanged.n).toBe(3);
    const ok = await bulk(planned.map((s: { id: string; version: number }) => ({ id: s.id, version: s.version })));
    expect(ok.status).toBe(201);
    expect((await ok.json()).segments.map((s: { status: string }) => s.status)).toEqual(['surveyed', 'surveyed', 'surveyed']);
  });
});
