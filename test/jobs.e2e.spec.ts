import { getQueueToken } from '@nestjs/bull';
import { maintenanceQueue } from '@serat/jobs';
import type { Queue } from 'bull';
import { bearer } from './support/auth';
import { useTestServer } from './support/server';
import { waitFor } from './support/wait';

describe('a maintenance job from the api through Redis to the worker', () => {
  // The worker shares the api's queue prefix.
  const server = useTestServer({ seeded: true, worker: true, roles: ['planner'] });

  it('recomputes the areas of sites and nodes whose codes went stale', async () => {
    await server.db.dataSource.query(`UPDATE sites SET kecamatan_code = NULL, desa_code = NULL WHERE kind = 'kantor_kecamatan'`);
    await server.db.dataSource.query(`UPDATE nodes SET desa_code = NULL WHERE kind = 'termination'`);

    const response = await fetch(`${server.api.baseUrl}/api/maintenance/area-membership`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(server.token('planner')) },
      body: JSON.stringify({ reason: 'test' }),
    });
    expect(response.status).toBe(202);
    const { jobId } = await response.json();

    const job = await waitFor(
      async () => {
        const view = await (await fetch(`${server.api.baseUrl}/api/maintenance/jobs/${jobId}`, { headers: bearer(server.token('planner')) })).json();
        return view.state === 'completed' || view.state === 'failed' ? view : undefined;
      },
      15000,
      'the job to finish',
    );
    expect(job).toEqual(expect.objectContaining({ name: 'areas.recompute-membership', state: 'completed', progress: 100 }));
    expect(job.result.sitesChanged).toBe(17);
    expect(job.result.nodesChanged).toBe(53);

    const [stale] = await server.db.dataSource.query(
      `SELECT (SELECT count(*) FROM sites WHERE kecamatan_code IS NULL OR desa_code IS NULL)::int AS sites,
              (SELECT count(*) FROM nodes WHERE desa_code IS NULL)::int AS nodes`,
    );
    expect(stale).toEqual({ sites: 0, nodes: 0 });

    const [audit] = await server.db.dataSource.query(`SELECT action, entity_type, entity_id, actor_id FROM audit_log WHERE entity_type = 'job' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ action: 'enqueue', entity_type: 'job', entity_id: `maintenance:${jobId}`, actor_id: expect.any(String) });
  });

  it('schedules the daily purge of photos no status change took, and runs it through the worker', async () => {
    const queue = server.worker.get<Queue>(getQueueToken(maintenanceQueue.name));
    const schedule = await waitFor(
      async () => {
        const repeatable = await queue.getRepeatableJobs();
        return repeatable.length === maintenanceQueue.repeat.length ? repeatable : undefined;
      },
      10000,
      'the daily schedule',
    );
    expect(schedule.map((job) => [job.name, job.cron]).sort()).toEqual([
      ['evidence-packs.expire', '10 20 * * *'],
      ['monitors.partitions', '20 20 * * *'],
      ['photos.purge-unlinked', '0 20 * * *'],
      ['progress.snapshot', '55 * * * *'],
      ['rollups.compact', '*/5 * * * *'],
    ]);

    const [user] = await server.db.dataSource.query(`SELECT id FROM users LIMIT 1`);
    const [photo] = await server.db.dataSource.query(
      `INSERT INTO photos (uploaded_by, content_type, size_bytes, sha256, width, height, storage_key, thumbnail_key, store, uploaded_at)
       VALUES ($1, 'image/jpeg', 3, repeat('0', 64), 1, 1, 'x', 'y', 'database', now() - interval '30 days') RETURNING id`,
      [user.id],
    );
    await server.db.dataSource.query(`UPDATE photos SET storage_key = '2026/10/' || id || '.jpg', thumbnail_key = '2026/10/' || id || '-thumb.webp' WHERE id = $1`, [photo.id]);
    const job = await queue.add('photos.purge-unlinked', { olderThanDays: 7 });
    expect(await job.finished()).toEqual({ deleted: 1 });
    expect(await server.db.dataSource.query(`SELECT id FROM photos WHERE id = $1`, [photo.id])).toEqual([]);
  });

  it('answers an unknown job id with 404', async () => {
    const response = await fetch(`${server.api.baseUrl}/api/maintenance/jobs/999999`, { headers: bearer(server.token('planner')) });
    expect(response.status).toBe(404);
  });
});
