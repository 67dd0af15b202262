import { projectRoot } from '@serat/config';
import { AdminAreaInput, AreasRepository, ConnectivityRepository, NodesRepository, PhasesRepository, SegmentsRepository, SitesRepository, UnitOfWork } from '@serat/domain';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { buildDemoNetwork, parseSopdCsv } from './demo-network';

/** Who the history says made the seeded statuses. */
export const SEED_ACTOR = 'system:seed';

export function kotimDataDir(): string {
  return path.join(projectRoot(), 'libs', 'demo', 'seed', 'kotim');
}

/** The credit the boundary data asks for, shown in the map attribution. */
export const KOTIM_ATTRIBUTION = {
  id: 'Batas wilayah: Kemendagri/BIG via cahyadsn/wilayah_boundaries (MIT). Jaringan, SOPD dan lokasi kantor: data demo, bukan data resmi.',
  en: 'Boundaries: Kemendagri/BIG via cahyadsn/wilayah_boundaries (MIT). Network, SOPD and office locations: demo data, not official data.',
};

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(kotimDataDir(), file), 'utf8')) as T;
}

type AreaProps = { code: string; name: string; kecamatan_code?: string; type?: string };

export interface SeedSummary {
  areasWritten: number;
  phasesInserted: number;
  nodesInserted: number;
  segmentsInserted: number;
  sitesInserted: number;
  membershipsChanged: number;
}

/**
 * Loads the real Kotim boundaries (kabupaten, 17 kecamatan, 185 desa/kelurahan) and the demo
 * network, in one transaction. Rows are matched by code: a second run inserts nothing and
 * never overwrites what people changed since.
 */
export async function seedKotim(dataSource: DataSource): Promise<SeedSummary> {
  const kabupaten = readJson<FeatureCollection<Polygon | MultiPolygon, AreaProps>>('kabupaten.geojson');
  const kecamatan = readJson<FeatureCollection<Polygon | MultiPolygon, AreaProps>>('kecamatan.geojson');
  const desa = readJson<FeatureCollection<Polygon | MultiPolygon, AreaProps>>('desa.geojson');
  const sopd = parseSopdCsv(fs.readFileSync(path.join(kotimDataDir(), 'sopd-candidates.csv'), 'utf8'));
  const network = buildDemoNetwork({
    kecamatan: kecamatan as FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>,
    desa: desa as FeatureCollection<Polygon | MultiPolygon, { code: string; name: string; kecamatan_code: string; type: string }>,
    sopd,
  });

  const kabupatenCode = kabupaten.features[0].properties.code;
  const areas: AdminAreaInput[] = [
    ...kabupaten.features.map((f) => ({ code: f.properties.code, name: f.properties.name, level: 'kabupaten' as const, parentCode: null, geometry: f.geometry })),
    ...kecamatan.features.map((f) => ({ code: f.properties.code, name: f.properties.name, level: 'kecamatan' as const, parentCode: kabupatenCode, geometry: f.geometry })),
    ...desa.features.map((f) => ({
      code: f.properties.code,
      name: f.properties.name,
      level: 'desa' as const,
      parentCode: f.properties.kecamatan_code ?? null,
      geometry: f.geometry,
    })),
  ];

  const { areasRepo, phasesRepo, nodesRepo, segmentsRepo, sitesRepo } = seedRepositories(dataSource);

  return new UnitOfWork(dataSource).run(async (manager) => {
    const areasWritten = await areasRepo.upsertMany(areas, manager);
    const phasesInserted = await phasesRepo.insertMissing(
      network.phases.map((p) => ({ code: p.key, name: p.name, budgetYear: p.budgetYear, targetDate: p.targetDate, budgetIdr: p.budgetIdr, description: p.description })),
      manager,
    );
    const nodeIds = await nodesRepo.insertMissing(
      network.nodes.map((n) => ({ code: n.code, name: n.name, kind: n.kind, lon: n.lon, lat: n.lat, status: n.status, owner: n.owner })),
      SEED_ACTOR,
      manager,
    );
    const segmentIds = await segmentsRepo.insertMissing(
      network.segments.map((s) => ({
        code: s.code,
        fromNodeCode: s.fromNodeCode,
        toNodeCode: s.toNodeCode,
        coordinates: s.coordinates,
        placement: s.placement,
        tier: s.tier,
        cableType: s.cableType,
        coreCount: s.coreCount,
        status: s.status,
        phaseCode: s.phaseKey,
      })),
      SEED_ACTOR,
      manager,
    );
    const siteIds = await sitesRepo.insertMissing(
      network.sites.map((s) => ({
        code: s.code,
        name: s.name,
        shortName: s.shortName,
        kind: s.kind,
        lon: s.lon,
        lat: s.lat,
        phaseCode: s.phaseKey,
        terminationNodeCode: s.terminationNodeCode,
        costIdrPerMonth: s.costIdrPerMonth,
        isDemo: s.isDemo,
      })),
      manager,
    );
    await segmentsRepo.recomputeAreas(segmentIds, manager);
    // When boundaries changed, every point may move to another area; otherwise only the new ones.
    const all = areasWritten > 0;
    const membershipsChanged =
      (await areasRepo.assignMembership('nodes', all ? null : nodeIds, manager)) + (await areasRepo.assignMembership('sites', all ? null : siteIds, manager));
    return {
      areasWritten,
      phasesInserted,
      nodesInserted: nodeIds.length,
      segmentsInserted: segmentIds.length,
      sitesInserted: siteIds.length,
      membershipsChanged,
    };
  });
}

/** True when no admin area exists yet: the database is fresh and the seed has never run. */
export function isEmpty(dataSource: DataSource): Promise<boolean> {
  return seedRepositories(dataSource).areasRepo.isEmpty();
}

/** The repositories the seed writes through, wired by hand as the api's module would (the seed runs without Nest). */
function seedRepositories(dataSource: DataSource) {
  const nodesRepo = new NodesRepository(dataSource);
  const sitesRepo = new SitesRepository(dataSource, new ConnectivityRepository(dataSource));
  return {
    areasRepo: new AreasRepository(dataSource, nodesRepo, sitesRepo),
    phasesRepo: new PhasesRepository(dataSource),
    nodesRepo,
    segmentsRepo: new SegmentsRepository(dataSource),
    sitesRepo,
  };
}
