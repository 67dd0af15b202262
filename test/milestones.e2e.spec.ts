import { bearer } from './support/auth';
import { phonePhoto } from './support/photos';
import { useTestServer } from './support/server';

/**
 * Milestones (issue 12) through the api: a criterion counted from a constructed status history
 * with its forecast, the evidence an approval stands on, the review thread's rules (the mentors
 * review, the planners answer, nothing is edited, a new review supersedes the last, all audited),
 * and what a planner is told when a milestone is set up wrong.
 */
describe('milestones', () => {
  const server = useTestServer({ seeded: true, roles: ['admin', 'planner', 'mentor', 'viewer'] });
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> => server.db.dataSource.query(text, params);
  const call = async (role: 'admin' | 'planner' | 'mentor' | 'viewer', method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.api.baseUrl}${path}`, {
      method,
      headers: { ...bearer(server.token(role)), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const DAY = 86400000;
  /** A day relative to today in the region (WIB), YYYY-MM-DD. */
  const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date(Date.now() + offset * DAY));

  let phase: { id: string };
  let segments: { id: string; code: string }[];

  beforeAll(async () => {
    phase = (await call('planner', 'POST', '/api/phases', { code: 'TAHAP-TONGGAK', name: 'Tahap tonggak uji' })).body;
    segments = [];
    for (const [i, code] of ['DS-TG-1', 'DS-TG-2'].entries()) {
      const created = await call('planner', 'POST', '/api/segments', {
        code,
        geometry: {
          type: 'LineString',
          coordinates: [
            [112.6 + i * 0.01, -2.2],
            [112.605 + i * 0.01, -2.205],
          ],
        },
        status: 'planned',
        phaseId: phase.id,
        phaseReason: 'Kontrak uji',
      });
      expect([created.status, created.body.error]).toEqual([201, undefined]);
      segments.push({ id: created.body.segment.id, code });
    }
    // Their past, as old records would say: both planned 40 days ago, the first tested (with an OTDR reading) 10 days ago.
    await sql(`UPDATE segments SET status = 'tested' WHERE id = $1`, [segments[0].id]);
    await sql(
      `INSERT INTO status_changes (segment_id, from_status, to_status, changed_at, changed_by, otdr_length_m, otdr_loss_db, otdr_wavelength_nm) VALUES
         ($1, NULL, 'planned', now() - interval '40 days', 'uji', NULL, NULL, NULL),
         ($2, NULL, 'planned', now() - interval '40 days', 'uji', NULL, NULL, NULL),
         ($1, 'planned', 'tested', now() - interval '10 days', 'uji', 812.5, 0.42, 1310)`,
      [segments[0].id, segments[1].id],
    );
  });

  const testing = (code: string, targetDate: string) =>
    call('planner', 'POST', '/api/milestones', { code, title: 'Semua segmen tahap diuji', category: 'testing', phaseId: phase.id, criterion: 'segments_tested', targetDate });

  it("forecasts from the last 30 days' rate and shows the basis: on track, or at risk when that rate is too slow", async () => {
    const onTrack = await testing('TG-UJI-1', day(60));
    expect([onTrack.status, onTrack.body.error]).toEqual([201, undefined]);
    // Half the segments tested, all of it in the window: 50 points in 30 days, 50 more take 30 days.
    expect(onTrack.body.evaluation).toMatchObject({
      value: 50,
      target: 100,
      progressPercent: 50,
      state: 'on_track',
      achievedOn: null,
      forecast: { method: 'linear_rate', windowDays: 30, from: { day: day(-30), value: 0 }, to: { day: day(0), value: 50 }, date: day(30) },
    });
    expect(onTrack.body.evaluation.forecast.ratePerDay).toBeCloseTo(50 / 30, 4);
    // Testing asks an OTDR reading of every segment: the second has none.
    expect(onTrack.body.requiredEvidence).toEqual(['otdr']);
    expect(onTrack.body.evidence).toMatchObject({ segmentsInScope: 2, missing: [{ kind: 'otdr', segments: 1 }], complete: false });
    const atRisk = await testing('TG-UJI-2', day(10));
    expect(atRisk.body.evaluation.state).toBe('at_risk');

    const lacking = await call('viewer', 'GET', `/api/milestones/${onTrack.body.id}/evidence?missing=otdr`);
    expect(lacking.body.items.map((item: { code: string }) => item.code)).toEqual(['DS-TG-2']);
    const all = await call('viewer', 'GET', `/api/milestones/${onTrack.body.id}/evidence`);
    expect(all.body.items[0]).toMatchObject({ code: 'DS-TG-1', status: 'tested', otdr: { lossDb: 0.42, lengthM: 812.5, wavelengthNm: 1310 }, missing: [] });
    expect(all.body.items[1]).toMatchObject({ code: 'DS-TG-2', otdr: null, missing: ['otdr'] });
  });

  it('approves only what is achieved with its evidence present, and says what is missing', async () => {
    const milestone = (await call('planner', 'GET', '/api/milestones?limit=200')).body.milestones.find((m: { code: string }) => m.code === 'TG-UJI-1');
    const early = await call('mentor', 'POST', `/api/milestones/${milestone.id}/reviews`, { verdict: 'approve', body: 'Disetujui.' });
    expect([early.status, early.body.error.code]).toEqual([422, 'APPROVAL_NOT_ACHIEVED']);
    expect(early.body.error.message).toContain('belum tercapai (50 dari 100 %)');

    // The second segment tested today, without a reading: achieved, the evidence still short.
    await sql(`UPDATE segments SET status = 'tested' WHERE id = $1`, [segments[1].id]);
    const tested = await sql<{ id: string }>(`INSERT INTO status_changes (segment_id, from_status, to_status, changed_by) VALUES ($1, 'planned', 'tested', 'uji') RETURNING id`, [
      segments[1].id,
    ]);
    const achieved = (await call('viewer', 'GET', `/api/milestones/${milestone.id}`)).body;
    expect(achieved.evaluation).toMatchObject({ state: 'achieved', achievedOn: day(0), value: 100, holdsNow: true, forecast: null });
    const short = await call('mentor', 'POST', `/api/milestones/${milestone.id}/reviews`, { verdict: 'approve', body: 'Disetujui.' }, { 'accept-language': 'en' });
    expect([short.status, short.body.error.code]).toEqual([422, 'APPROVAL_EVIDENCE_MISSING']);
    expect(short.body.error.message).toBe('The evidence is not complete (otdr: 1), so this milestone cannot be approved yet.');

    await sql(`DELETE FROM status_changes WHERE id = $1`, [tested[0].id]);
    await sql(
      `INSERT INTO status_changes (segment_id, from_status, to_status, changed_by, otdr_length_m, otdr_loss_db, otdr_wavelength_nm) VALUES ($1, 'planned', 'tested', 'uji', 640, 0.31, 1550)`,
      [segments[1].id],
    );
    const approved = await call('mentor', 'POST', `/api/milestones/${milestone.id}/reviews`, { verdict: 'approve', body: 'Hasil OTDR lengkap, disetujui.' });
    expect([approved.status, approved.body.error]).toEqual([201, undefined]);
    expect(approved.body.atState).toEqual({ state: 'achieved', value: 100, target: 100, evidenceComplete: true });
  });

  it('keeps the thread as written: mentors review, planners answer, a new review supersedes the last, nothing is edited, all audited', async () => {
    const created = await testing('TG-UJI-3', day(90));
    const id = created.body.id;
    // Two mentors at once: both kept, one after the other.
    const [first, second] = await Promise.all([
      call('mentor', 'POST', `/api/milestones/${id}/reviews`, { verdict: 'request_changes', body: 'Foto sambungan belum ada.' }),
      call('mentor', 'POST', `/api/milestones/${id}/reviews`, { verdict: 'request_changes', body: 'Hasil OTDR ruas kedua belum ada.' }),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    const [older, newer] = [first.body, second.body].sort((a, b) => Number(a.id) - Number(b.id));
    expect(older.refersTo).toBeNull();
    expect(newer.refersTo).toBe(older.id);
    const reply = await call('planner', 'POST', `/api/milestones/${id}/comments`, { body: '  Sudah kami lengkapi.  ' });
    expect(reply.body).toMatchObject({ kind: 'reply', verdict: null, body: 'Sudah kami lengkapi.', refersTo: newer.id });

    const thread = (await call('viewer', 'GET', `/api/milestones/${id}/thread`)).body.entries;
    expect(thread.map((entry: { id: string; supersededBy: string | null }) => [entry.id, entry.supersededBy])).toEqual([
      [older.id, newer.id],
      [newer.id, null],
      [reply.body.id, null],
    ]);
    await expect(sql(`UPDATE milestone_thread SET body = 'diubah' WHERE id = $1`, [older.id])).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM milestone_thread WHERE id = $1`, [older.id])).rejects.toThrow(/append-only/);

    expect((await call('viewer', 'POST', `/api/milestones/${id}/comments`, { body: 'x' })).status).toBe(403);
    expect((await call('admin', 'POST', `/api/milestones/${id}/reviews`, { verdict: 'approve', body: 'x' })).status).toBe(403);
    const empty = await call('mentor', 'POST', `/api/milestones/${id}/reviews`, { verdict: 'request_changes', body: '   ' });
    expect(empty.status).toBe(400);

    const audit = (await call('admin', 'GET', `/api/audit?entityType=milestone&entityId=${id}`)).body.entries as { action: string }[];
    expect(audit.map((entry) => entry.action).sort()).toEqual(['create', 'reply', 'review', 'review']);
  });

  it('records a manual criterion done only with evidence the planner uploaded, and only for a manual one', async () => {
    const manual = await call('planner', 'POST', '/api/milestones', {
      code: 'TG-IZIN',
      title: 'Izin galian dari PUPR',
      category: 'permits',
      criterion: 'manual',
      targetDate: day(30),
    });
    expect(manual.body).toMatchObject({ requiredEvidence: [], evaluation: { state: 'pending' } });
    const form = new FormData();
    form.append('photo', new Blob([new Uint8Array(await phonePhoto())], { type: 'image/jpeg' }), 'izin.jpg');
    const adminsPhoto = await (await fetch(`${server.api.baseUrl}/api/photos`, { method: 'POST', headers: bearer(server.token('admin')), body: form })).json();
    const notMine = await call('planner', 'POST', `/api/milestones/${manual.body.id}/completion`, { doneOn: day(0), note: 'Izin terbit.', photoIds: [adminsPhoto.id] });
    expect([notMine.status, notMine.body.error.code]).toEqual([422, 'MILESTONE_EVIDENCE_REQUIRED']);
    const future = await call('admin', 'POST', `/api/milestones/${manual.body.id}/completion`, { doneOn: day(3), note: 'Izin terbit.', photoIds: [adminsPhoto.id] });
    expect(future.body.error.code).toBe('MILESTONE_DONE_IN_FUTURE');
    const counted = (await call('planner', 'GET', '/api/milestones?limit=200')).body.milestones.find((m: { code: string }) => m.code === 'TG-UJI-3');
    const notManual = await call('admin', 'POST', `/api/milestones/${counted.id}/completion`, { doneOn: day(0), note: 'x', photoIds: [adminsPhoto.id] });
    expect(notManual.body.error.code).toBe('MILESTONE_NOT_MANUAL');
    const done = await call('admin', 'POST', `/api/milestones/${manual.body.id}/completion`, { doneOn: day(-2), note: 'Izin terbit.', photoIds: [adminsPhoto.id] });
    expect(done.body).toMatchObject({ evaluation: { state: 'achieved', achievedOn: day(-2) }, evidence: { attachedPhotos: 1, complete: true }, photos: [{ id: adminsPhoto.id }] });
    // Attached to a milestone, the photo is not an orphan for the clean-up.
    await sql(`UPDATE photos SET uploaded_at = now() - interval '30 days' WHERE id = $1`, [adminsPhoto.id]);
    const purged = await sql<{ id: string }>(
      `SELECT id FROM photos WHERE status_change_id IS NULL AND NOT EXISTS (SELECT 1 FROM milestone_evidence e WHERE e.photo_id = photos.id) AND id = $1`,
      [adminsPhoto.id],
    );
    expect(purged).toEqual([]);
  });

  it('tells a planner what a criterion needs, in their language', async () => {
    const base = { title: 'Uji', category: 'construction', targetDate: day(30) };
    const noPhase = await call('planner', 'POST', '/api/milestones', { ...base, code: 'TG-X1', criterion: 'sites_connected', targetValue: 100 });
    expect([noPhase.status, noPhase.body.error.code]).toEqual([422, 'MILESTONE_NEEDS_PHASE']);
    expect(noPhase.body.error.message).toBe('Kriteria ini dihitung dari satu tahap: pilih tahapnya.');
    const tooMuch = await call('planner', 'POST', '/api/milestones', { ...base, code: 'TG-X2', criterion: 'sites_connected', phaseId: phase.id, targetValue: 150 });
    expect(tooMuch.body.error.code).toBe('MILESTONE_TARGET_VALUE');
    const [desa] = await sql<{ code: string }>(`SELECT code FROM admin_areas WHERE level = 'desa' ORDER BY code LIMIT 1`);
    const inDesa = await call('planner', 'POST', '/api/milestones', { ...base, code: 'TG-X3', criterion: 'km_active', areaCode: desa.code, targetValue: 5 });
    expect(inDesa.body.error.code).toBe('MILESTONE_AREA_LEVEL');
    const kecamatan = await call('planner', 'POST', '/api/milestones', { ...base, code: 'TG-KM', criterion: 'km_active', areaCode: '62.02.06', targetValue: 5 });
    expect([kecamatan.status, kecamatan.body.error]).toEqual([201, undefined]);
    expect(kecamatan.body.evaluation.unit).toBe('km');
    const twice = await call('planner', 'POST', '/api/milestones', { ...base, code: 'TG-KM', criterion: 'manual' });
    expect(twice.status).toBe(409);
    const stale = await call('planner', 'PATCH', `/api/milestones/${kecamatan.body.id}`, { title: 'Ubah', version: 7 });
    expect(stale.status).toBe(409);
    const changed = await call('planner', 'PATCH', `/api/milestones/${kecamatan.body.id}`, { targetValue: 8, version: 1 });
    expect(changed.body).toMatchObject({ targetValue: 8, version: 2, evaluation: { target: 8 } });
  });
});
