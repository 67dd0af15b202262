import { checkLineString } from '@serat/geo';
import { AreasRepository, ConnectivityRepository, GeneratedHistory, NodesRepository, SegmentsRepository, SitesRepository, UnitOfWork } from '@serat/domain';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import {
  copiesFor,
  GENERATED_CODE_PREFIX,
  GeneratedCopy,
  HISTORY_DAYS,
  HISTORY_PATH,
  historySteps,
  MAX_SEGMENTS,
  planCopy,
  prepareGeneratorBase,
  segmentsPerCopy,
} from './generated-network';

/** Who the history and the audit log say made the generated network. */
export const GENERATOR_ACTOR = 'system:generator';
/** The kabupaten whose boundaries the network is laid in (and copied from). */
export const GENERATOR_KABUPATEN = '62.02';
/** Rows per statement: large enough that a round trip is cheap beside its work, small enough for a few MB of JSON. */
const BATCH = 5000;

/** A mistake in what the generator was asked (bad numbers, a network there already): said plainly, never a stack trace. */
export class GenerateError extends Error {}

export interface GenerateOptions {
  segments: number;
  seed: number;
  /** Remove a generated network that is there (its rows, by code prefix) before writing the new one. */
  replace: boolean;
  log?: (line: string) => void;
}

export interface GenerateSummary {
  copies: number;
  segments: number;
  nodes: number;
  sites: number;
  removedSegments: number;
  /** Generated sites connected to their NOC (ConnectivityRepository, as the app derives it). */
  connectedSites: number;
  seconds: number;
}

/** Checks the numbers given before anything is read or written. */
export function checkGenerateOptions(options: Pick<GenerateOptions, 'segments' | 'seed'>): void {
  if (!Number.isSafeInteger(options.segments) || options.segments < 1 || options.segments > MAX_SEGMENTS) {
    throw new GenerateError(`--segments must be a whole number from 1 to ${MAX_SEGMENTS.toLocaleString('en')}`);
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new GenerateError('--seed must be a whole number from 0 to 4294967295');
  }
}

function* batches<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += BATCH) yield rows.slice(i, i + BATCH);
}

/**
 * Writes a generated network (generated-network.ts) through the repositories that own each table,
 * in one transaction: all of it or nothing. Per copy of the kabupaten: its areas (copies only,
 * with their subdivided parts), nodes and segments with their history and audit entries, the
 * kecamatan and desa each segment crosses (segment_areas) and the areas of nodes and sites, all
 * as the app computes them; segment lengths are the database's generated column. Every route
 * passes the app's geometry check (checkLineString) first, and the database's constraints
 * (valid geometry, distinct ends, unique codes) hold for these rows as for any.
 */
export async function generateNetwork(dataSource: DataSource, options: GenerateOptions): Promise<GenerateSummary> {
  checkGenerateOptions(options);
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const nodesRepo = new NodesRepository(dataSource);
  const connectivity = new ConnectivityRepository(dataSource);
  const sitesRepo = new SitesRepository(dataSource, connectivity);
  const segmentsRepo = new SegmentsRepository(dataSource);
  const areasRepo = new AreasRepository(dataSource, nodesRepo, sitesRepo);

  const areas = await areasRepo.findTree(GENERATOR_KABUPATEN);
  if (!areas.some((a) => a.level === 'desa')) {
    throw new GenerateError(`the boundaries of Kotim (${GENERATOR_KABUPATEN}) with its kecamatan and desa are not in this database: run npm run seed first`);
  }
  const existing = await segmentsRepo.countByCodePrefix(GENERATED_CODE_PREFIX);
  if (existing > 0 && !options.replace) {
    throw new GenerateError(`this database holds a generated network already (${existing.toLocaleString('en')} segments); add --replace to remove it and generate anew`);
  }
  const base = prepareGeneratorBase(areas);
  const perCopy = segmentsPerCopy(options.segments);
  const history: GeneratedHistory = { changedBy: GENERATOR_ACTOR, path: HISTORY_PATH, days: HISTORY_DAYS };
  log(`${options.segments.toLocaleString('en')} segments, seed ${options.seed}, ${perCopy.length} cop${perCopy.length === 1 ? 'y' : 'ies'} of the kabupaten`);

  const totals = await new UnitOfWork(dataSource).run(async (manager) => {
    let removedSegments = 0;
    if (existing > 0) {
      const t = Date.now();
      const sites = await sitesRepo.deleteByCodePrefix(GENERATED_CODE_PREFIX, manager);
      removedSegments = await segmentsRepo.deleteByCodePrefix(GENERATED_CODE_PREFIX, manager);
      const nodes = await nodesRepo.deleteByCodePrefix(GENERATED_CODE_PREFIX, manager);
      log(`removed the generated network that was there: ${removedSegments} segments, ${nodes} nodes, ${sites} sites (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
    const written = { segments: 0, nodes: 0, sites: 0 };
    for (let k = 0; k < perCopy.length; k++) {
      const t = Date.now();
      const plan = planCopy(base, k, perCopy[k], options.seed);
      const planned = Date.now();
      const counts = await writeCopy(plan, history, manager, { nodesRepo, segmentsRepo, sitesRepo, areasRepo });
      written.segments += counts.segments;
      written.nodes += counts.nodes;
      written.sites += counts.sites;
      // The next copy's membership and area statements are planned for tables this size.
      await segmentsRepo.analyzeNetworkTables(manager);
      log(
        `copy ${k + 1}/${perCopy.length} (${plan.kabupatenCode}): ${counts.segments.toLocaleString('en')} segments, ${counts.nodes.toLocaleString('en')} nodes, ` +
          `${counts.sites.toLocaleString('en')} sites; planned in ${((planned - t) / 1000).toFixed(1)} s, written in ${((Date.now() - planned) / 1000).toFixed(1)} s (${counts.phases})`,
      );
    }
    return { ...written, removedSegments };
  });
  const connectedSites = await sitesRepo.countConnected(GENERATED_CODE_PREFIX);
  return { copies: copiesFor(options.segments), ...totals, connectedSites, seconds: (Date.now() - started) / 1000 };
}

async function writeCopy(
  plan: GeneratedCopy,
  history: GeneratedHistory,
  manager: EntityManager,
  repos: { nodesRepo: NodesRepository; segmentsRepo: SegmentsRepository; sitesRepo: SitesRepository; areasRepo: AreasRepository },
): Promise<{ segments: number; nodes: number; sites: number; phases: string }> {
  const spent: Record<string, number> = {};
  let last = Date.now();
  const lap = (what: string) => {
    const now = Date.now();
    spent[what] = (spent[what] ?? 0) + (now - last) / 1000;
    last = now;
  };
  for (const s of plan.segments) {
    const { problems } = checkLineString({ type: 'LineString', coordinates: s.coordinates }, plan.bbox);
    if (problems.length) throw new Error(`generated segment ${s.code} fails the geometry check: ${problems.map((p) => p.code).join(', ')}`);
  }
  lap('checks');
  if (plan.areas) await repos.areasRepo.upsertMany(plan.areas, manager);
  lap('areas');
  let nodes = 0;
  for (const batch of batches(plan.nodes)) {
    const ids = await repos.nodesRepo.insertGenerated(
      batch.map((n) => ({ ...n, steps: historySteps(n.status) })),
      history,
      manager,
    );
    lap('nodes');
    await repos.areasRepo.assignMembership('nodes', ids, manager);
    lap('node areas');
    nodes += ids.length;
  }
  let segments = 0;
  for (const batch of batches(plan.segments)) {
    const ids = await repos.segmentsRepo.insertGenerated(
      batch.map((s) => ({ ...s, steps: historySteps(s.status) })),
      history,
      manager,
    );
    lap('segments');
    await repos.segmentsRepo.recomputeAreas(ids, manager);
    lap('segment areas');
    segments += ids.length;
  }
  let sites = 0;
  for (const batch of batches(plan.sites)) {
    const ids = await repos.sitesRepo.insertMissing(
      batch.map((s) => ({ ...s, isDemo: true })),
      manager,
    );
    if (ids.length !== batch.length) throw new Error(`generated sites: ${batch.length - ids.length} of ${batch.length} codes are taken`);
    lap('sites');
    await repos.areasRepo.assignMembership('sites', ids, manager);
    lap('site areas');
    sites += ids.length;
  }
  const phases = Object.entries(spent)
    .map(([what, s]) => `${what} ${s.toFixed(1)} s`)
    .join(', ');
  return { segments, nodes, sites, phases };
}
