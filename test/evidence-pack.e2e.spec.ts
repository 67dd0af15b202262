import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { readZip } from '../libs/geo/src/export/export-fixtures.testing';
import { bearer } from './support/auth';
import { phonePhoto } from './support/photos';
import { useTestServer } from './support/server';
import { waitFor } from './support/wait';

/**
 * A milestone's evidence pack, from the request through Redis and a real worker to the ZIP an
 * auditor downloads: the status history, the OTDR readings, the photos with their EXIF time and
 * position, the review thread, a summary page and the SHA-256 of every file; and what a pack over
 * the size limit, a pack not ready yet and an unknown one answer.
 */
describe("a milestone's evidence pack", () => {
  const server = useTestServer({ seeded: true, worker: true, roles: ['planner', 'technician', 'mentor', 'viewer'] });
  type Role = 'planner' | 'technician' | 'mentor' | 'viewer';
  const call = async (role: Role, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.api.baseUrl}${path}`, {
      method,
      headers: { ...bearer(server.token(role)), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const upload = async (role: Role) => {
    const form = new FormData();
    form.append('photo', new Blob([new Uint8Array(await phonePhoto())], { type: 'image/jpeg' }), 'foto.jpg');
    const response = await fetch(`${server.api.baseUrl}/api/photos`, { method: 'POST', headers: bearer(server.token(role)), body: form });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  };
  const finished = (id: string) =>
    waitFor(
      async () => {
        const pack = await call('viewer', 'GET', `/api/evidence-packs/${id}`);
        return pack.body.state === 'done' || pack.body.state === 'failed' ? pack.body : undefined;
      },
      30000,
      'the pack to be built',
    );

  let milestone: { id: string; code: string };
  let segments: { id: string; code: string }[];
  const photos: string[] = [];

  beforeAll(async () => {
    const phase = (await call('planner', 'POST', '/api/phases', { code: 'TAHAP-AUDIT', name: 'Tahap diaudit' })).body;
    segments = [];
    for (const [i, code] of ['DS-AU-1', 'DS-AU-2'].entries()) {
      const created = await call('planner', 'POST', '/api/segments', {
        code,
        geometry: {
          type: 'LineString',
          coordinates: [
            [112.62 + i * 0.01, -2.25],
            [112.625 + i * 0.01, -2.255],
          ],
        },
        status: 'spliced',
        phaseId: phase.id,
        phaseReason: 'Kontrak diaudit',
      });
      expect([created.status, created.body.error]).toEqual([201, undefined]);
      segments.push({ id: created.body.segment.id, code });
    }
    // The first segment tested in the field, with a photo, GPS and an OTDR reading.
    const photo = await upload('technician');
    photos.push(photo.id);
    const [first] = segments;
    const current = (await call('technician', 'GET', `/api/segments/${first.id}`)).body;
    const tested = await call('technician', 'POST', `/api/segments/${first.id}/status`, {
      status: 'tested',
      version: current.version,
      note: 'Uji OTDR dari ODC ke JC',
      evidence: { gps: { lon: 112.621, lat: -2.251, accuracyM: 4 }, otdr: { lengthM: 812.5, lossDb: 0.42, wavelengthNm: 1310 }, photoIds: [photo.id] },
    });
    expect([tested.status, tested.body.error]).toEqual([201, undefined]);
    const made = await call('planner', 'POST', '/api/milestones', {
      code: 'TG-AUDIT',
      title: 'Semua ruas tahap diaudit diuji',
      category: 'testing',
      phaseId: phase.id,
      criterion: 'segments_tested',
      targetDate: '2030-12-31',
    });
    expect(made.status).toBe(201);
    milestone = made.body;
    expect(
      (await call('mentor', 'POST', `/api/milestones/${milestone.id}/reviews`, { verdict: 'request_changes', body: 'Ruas DS-AU-2 belum diuji; lampirkan OTDR.' })).status,
    ).toBe(201);
  });

  it('is built by the worker and holds the history, the OTDR readings, the photos, the thread, a summary and a checksum of every file', async () => {
    const asked = await call('viewer', 'POST', `/api/milestones/${milestone.id}/evidence-pack`, {});
    expect([asked.status, asked.body.error]).toEqual([202, null]);
    expect(asked.body).toMatchObject({ milestoneId: milestone.id, milestoneCode: 'TG-AUDIT', state: 'queued', downloadUrl: null, requestedBy: server.user('viewer').username });
    // Asking again while it is being made gives the same pack.
    const again = await call('viewer', 'POST', `/api/milestones/${milestone.id}/evidence-pack`, {});
    const pack = await finished(asked.body.id);
    if (again.body.id !== asked.body.id) expect((await finished(again.body.id)).state).toBe('done');
    expect(pack).toMatchObject({ state: 'done', progress: 100, error: null, downloadUrl: `/api/evidence-packs/${asked.body.id}/download` });

    const response = await fetch(`${server.api.baseUrl}${pack.downloadUrl}`, { headers: bearer(server.token('viewer')) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="paket-bukti-TG-AUDIT-\d{4}-\d{2}-\d{2}\.zip"$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(pack.sizeBytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(pack.sha256);

    const files = await readZip(bytes);
    const text = (name: string) =>
      files
        .get(name)!
        .toString('utf8')
        .replace(/^\uFEFF/, '');
    const photoFile = `foto/DS-AU-1/${photos[0]}.jpg`;
    expect([...files.keys()].sort()).toEqual(['foto.csv', photoFile, 'otdr.csv', 'riwayat-status.csv', 'ringkasan.html', 'sha256sum.txt', 'tinjauan.csv'].sort());
    expect(pack.files).toBe(files.size);

    // The photo as uploaded, byte for byte; its EXIF time and position listed beside it.
    const stored = await fetch(`${server.api.baseUrl}/api/photos/${photos[0]}`, { headers: bearer(server.token('viewer')) });
    expect(files.get(photoFile)!.equals(Buffer.from(await stored.arrayBuffer()))).toBe(true);
    const photoRows = text('foto.csv').trim().split('\r\n');
    expect(photoRows[0]).toBe('file,photo_id,segment_code,status_change_id,status,taken_at_exif,exif_lon,exif_lat,uploaded_at,uploaded_by,content_type,size_bytes');
    expect(photoRows).toHaveLength(2);
    expect(photoRows[1]).toContain(`${photoFile},${photos[0]},DS-AU-1,`);
    expect(photoRows[1]).toContain(',tested,');

    // Every status change of the segments in scope: the first's creation and its test, the second's creation.
    const history = text('riwayat-status.csv').trim().split('\r\n');
    expect(history).toHaveLength(4);
    expect(history.filter((line) => line.startsWith('DS-AU-1,spliced,tested,'))).toHaveLength(1);
    expect(history.find((line) => line.startsWith('DS-AU-1,spliced,tested,'))).toContain(',Uji OTDR dari ODC ke JC,112.621,-2.251,4,0.42,812.5,1310,1,');
    const otdr = text('otdr.csv').trim().split('\r\n');
    expect(otdr).toHaveLength(2);
    expect(otdr[1]).toMatch(/^DS-AU-1,[^,]+,0\.42,812\.5,1310,/);

    const thread = text('tinjauan.csv').trim().split('\r\n');
    expect(thread).toHaveLength(2);
    expect(thread[1]).toContain(',review,request_changes,');
    expect(thread[1]).toContain('Ruas DS-AU-2 belum diuji; lampirkan OTDR.');

    const summary = text('ringkasan.html');
    expect(summary).toContain('TG-AUDIT — Semua ruas tahap diaudit diuji');
    expect(summary).toContain('Belum lengkap: 1 ruas tanpa hasil OTDR');
    expect(summary).toContain('Perlu perbaikan');

    // sha256sum -c would pass: a line for every other file, with its hash.
    const sums = text('sha256sum.txt').trim().split('\n');
    expect(sums).toHaveLength(files.size - 1);
    for (const line of sums) {
      const [hash, name] = line.split('  ');
      expect([name, createHash('sha256').update(files.get(name)!).digest('hex')]).toEqual([name, hash]);
    }

    const [audit] = await server.db.dataSource.query(`SELECT action, entity_type, entity_id FROM audit_log WHERE action = 'request_evidence_pack' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ action: 'request_evidence_pack', entity_type: 'milestone', entity_id: milestone.id });
  }, 60000);

  it('says a pack is not ready before it is done, and that an unknown one is not there', async () => {
    const [row] = await server.db.dataSource.query(`INSERT INTO evidence_packs (milestone_id, requested_label, state, progress) VALUES ($1, 'uji', 'running', 40) RETURNING id`, [
      milestone.id,
    ]);
    const early = await call('viewer', 'GET', `/api/evidence-packs/${row.id}/download`, undefined, { 'accept-language': 'id' });
    expect([early.status, early.body.error.code]).toEqual([409, 'EVIDENCE_PACK_NOT_READY']);
    expect(early.body.error.message).toContain('40 %');
    // While one is being made, asking again gives that one.
    expect((await call('viewer', 'POST', `/api/milestones/${milestone.id}/evidence-pack`, {})).body.id).toBe(row.id);
    await server.db.dataSource.query(`DELETE FROM evidence_packs WHERE id = $1`, [row.id]);
    expect((await call('viewer', 'GET', '/api/evidence-packs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call('viewer', 'GET', '/api/evidence-packs/bukan-id')).status).toBe(400);
    expect((await call('viewer', 'POST', '/api/milestones/00000000-0000-4000-8000-000000000000/evidence-pack', {})).status).toBe(404);
  });

  it('keeps the reason on a pack the worker could not make complete', async () => {
    const manual = (await call('planner', 'POST', '/api/milestones', { code: 'TG-BESAR', title: 'BAST', category: 'handover', criterion: 'manual', targetDate: '2030-06-30' }))
      .body;
    const photo = await upload('planner');
    expect((await call('planner', 'POST', `/api/milestones/${manual.id}/completion`, { doneOn: '2026-01-15', note: 'BAST', photoIds: [photo.id] })).status).toBe(200);
    // The photo's file gone from the store: the worker cannot make a complete pack, and says so.
    await server.db.dataSource.query(`DELETE FROM photo_blobs WHERE photo_id = $1`, [photo.id]);
    const asked = await call('viewer', 'POST', `/api/milestones/${manual.id}/evidence-pack`, {}, { 'accept-language': 'en' });
    expect(asked.status).toBe(202);
    const failed = await (async () => {
      for (let i = 0; i < 60; i++) {
        const view = await call('viewer', 'GET', `/api/evidence-packs/${asked.body.id}`, undefined, { 'accept-language': 'en' });
        if (view.body.state === 'failed' || view.body.state === 'done') return view.body;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error('the pack was not finished');
    })();
    expect(failed).toMatchObject({ state: 'failed', downloadUrl: null, error: { code: 'EVIDENCE_PACK_PHOTO_MISSING' } });
    expect(failed.error.message).toContain(photo.id);
    expect((await server.db.dataSource.query(`SELECT count(*)::int AS n FROM evidence_pack_chunks WHERE pack_id = $1`, [asked.body.id]))[0].n).toBe(0);
  }, 60000);
});

describe('an evidence pack over the size limit', () => {
  const server = useTestServer({ seeded: true, roles: ['planner'], env: { SERAT_EVIDENCE_PACK_MAX_MB: '1' } });

  it('is refused before anything is queued, saying how large it would be and what to do', async () => {
    const headers = { ...bearer(server.token('planner')), 'accept-language': 'id' };
    const made = await (
      await fetch(`${server.api.baseUrl}/api/milestones`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'TG-BESAR', title: 'BAST', category: 'handover', criterion: 'manual', targetDate: '2030-06-30' }),
      })
    ).json();
    // A photo of noise does not compress: about 2 MB, past the 1 MB limit.
    const noise = await sharp({ create: { width: 1400, height: 1400, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(noise.length).toBeGreaterThan(1024 * 1024);
    const form = new FormData();
    form.append('photo', new Blob([new Uint8Array(noise)], { type: 'image/jpeg' }), 'bast.jpg');
    const photo = await (await fetch(`${server.api.baseUrl}/api/photos`, { method: 'POST', headers, body: form })).json();
    const done = await fetch(`${server.api.baseUrl}/api/milestones/${made.id}/completion`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ doneOn: '2026-01-15', note: 'BAST', photoIds: [photo.id] }),
    });
    expect(done.status).toBe(200);
    const asked = await fetch(`${server.api.baseUrl}/api/milestones/${made.id}/evidence-pack`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    const body = await asked.json();
    expect([asked.status, body.error.code]).toEqual([422, 'EVIDENCE_PACK_TOO_LARGE']);
    expect(body.error.message).toMatch(/^Paket bukti ini akan berukuran sekitar \d+ MB \(1 foto\), melebihi batas 1 MB/);
    expect((await server.db.dataSource.query(`SELECT count(*)::int AS n FROM evidence_packs`))[0].n).toBe(0);
  }, 60000);
});
