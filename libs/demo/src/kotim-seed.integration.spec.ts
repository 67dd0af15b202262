import { isEmpty, seedKotim } from '@serat/demo';
import { useTestDatabase } from '../../../test/support/databases';

describe('seeding the Kotim data', () => {
  const db = useTestDatabase();

  const counts = async () =>
    (
      await db.dataSource.query(
        `SELECT (SELECT count(*) FROM admin_areas)::int AS areas, (SELECT count(*) FROM phases)::int AS phases,
                (SELECT count(*) FROM nodes)::int AS nodes, (SELECT count(*) FROM segments)::int AS segments,
                (SELECT count(*) FROM sites)::int AS sites, (SELECT count(*) FROM status_changes)::int AS history`,
      )
    )[0];

  it('loads the boundaries and the demo network into an empty database', async () => {
    // npm start seeds a fresh demo installation only: fresh means no admin area yet.
    expect(await isEmpty(db.dataSource)).toBe(true);
    const summary = await seedKotim(db.dataSource);
    expect(await isEmpty(db.dataSource)).toBe(false);
    expect(summary.areasWritten).toBe(1 + 17 + 185);
    expect(summary.sitesInserted).toBe(36 + 17);
    const c = await counts();
    expect(c).toMatchObject({ areas: 203, phases: 3, sites: 53 });
    expect(c.nodes).toBe(summary.nodesInserted);
    expect(c.segments).toBe(summary.segmentsInserted);
    const [noc] = await db.dataSource.query(`SELECT count(*)::int AS n FROM nodes WHERE kind = 'noc'`);
    expect(noc.n).toBe(1);
    const [demo] = await db.dataSource.query(`SELECT bool_and(is_demo) AS all_demo, min(cost_idr_per_month)::int AS cost FROM sites WHERE kind = 'sopd'`);
    expect(demo).toEqual({ all_demo: true, cost: 7000000 });
  });

  it('a second run duplicates nothing and keeps changes people made since', async () => {
    const before = await counts();
    await db.dataSource.query(`UPDATE segments SET status = 'damaged' WHERE code = (SELECT min(code) FROM segments WHERE status = 'active')`);
    const [changed] = await db.dataSource.query(`SELECT code FROM segments WHERE status = 'damaged' ORDER BY updated_at DESC LIMIT 1`);

    const summary = await seedKotim(db.dataSource);
    expect(summary).toEqual({ areasWritten: 0, phasesInserted: 0, nodesInserted: 0, segmentsInserted: 0, sitesInserted: 0, membershipsChanged: 0 });
    expect(await counts()).toEqual(before);
    const [still] = await db.dataSource.query(`SELECT status FROM segments WHERE code = $1`, [changed.code]);
    expect(still.status).toBe('damaged');
  });
});
