import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { InventoryLayer, InventoryNodeRow, InventoryPage, InventoryRows, InventorySegmentRow, InventorySiteRow, InventorySort, SortOrder } from '@serat/contract';
import { NETWORK_STATUSES, SEGMENT_TIERS } from '@serat/vocabulary';
import { DataSource } from 'typeorm';
import { ConnectivityRepository } from '../network/connectivity.repository';
import { selectListSql } from '../shared/answer-sql';
import { InventoryFilter, inventoryWhereSql, SqlParams } from './inventory-filter';

export interface InventoryQuery<L extends InventoryLayer> {
  filter: InventoryFilter;
  sort: InventorySort<L>;
  order: SortOrder;
  offset: number;
  limit: number;
}

/** The columns of a row of each list, from the layer's table and its joins (see FROM_SQL). */
const SEGMENT_COLUMNS = selectListSql<InventorySegmentRow>({
  id: 's.id',
  code: 's.code',
  status: 's.status',
  tier: 's.tier',
  placement: 's.placement',
  lengthM: 'round(s.length_m::numeric, 1)::float8',
  phaseId: 's.phase_id',
  phaseName: 'p.name',
  kecamatanNames: `coalesce((SELECT array_agg(a.name ORDER BY a.name) FROM segment_areas sa JOIN admin_areas a ON a.code = sa.area_code WHERE sa.segment_id = s.id AND sa.level = 'kecamatan'), '{}')`,
  desaNames: `coalesce((SELECT array_agg(a.name ORDER BY a.name) FROM segment_areas sa JOIN admin_areas a ON a.code = sa.area_code WHERE sa.segment_id = s.id AND sa.level = 'desa'), '{}')`,
  updatedAt: 's.updated_at',
  version: 's.version',
});

const NODE_COLUMNS = selectListSql<InventoryNodeRow>({
  id: 'n.id',
  code: 'n.code',
  name: 'n.name',
  kind: 'n.kind',
  status: 'n.status',
  kecamatanCode: 'n.kecamatan_code',
  kecamatanName: 'kec.name',
  desaCode: 'n.desa_code',
  desaName: 'desa.name',
  updatedAt: 'n.updated_at',
  version: 'n.version',
});

const SITE_COLUMNS = selectListSql<InventorySiteRow>({
  id: 's.id',
  code: 's.code',
  name: 's.name',
  kind: 's.kind',
  connected: 'EXISTS (SELECT 1 FROM connected_nodes c WHERE c.node_id = s.termination_node_id)',
  phaseId: 's.phase_id',
  phaseName: 'p.name',
  kecamatanCode: 's.kecamatan_code',
  kecamatanName: 'kec.name',
  desaCode: 's.desa_code',
  desaName: 'desa.name',
  updatedAt: 's.updated_at',
  version: 's.version',
});

const AREA_JOINS = (alias: string) => `LEFT JOIN admin_areas kec ON kec.code = ${alias}.kecamatan_code LEFT JOIN admin_areas desa ON desa.code = ${alias}.desa_code`;

const LAYERS: { [L in InventoryLayer]: { columns: string; from: string; alias: string; sorts: Record<InventorySort<L>, string> } } = {
  segments: {
    columns: SEGMENT_COLUMNS,
    from: 'segments s LEFT JOIN phases p ON p.id = s.phase_id',
    alias: 's',
    sorts: {
      code: 's.code',
      // The lifecycle's order and the tiers' from the backbone down, not the alphabet's.
      status: 'array_position($statuses::text[], s.status)',
      tier: 'array_position($tiers::text[], s.tier)',
      placement: 's.placement',
      lengthM: 's.length_m',
      phase: 'p.name',
      updatedAt: 's.updated_at',
    },
  },
  nodes: {
    columns: NODE_COLUMNS,
    from: `nodes n ${AREA_JOINS('n')}`,
    alias: 'n',
    sorts: { code: 'n.code', name: 'lower(n.name)', kind: 'n.kind', status: 'array_position($statuses::text[], n.status)', kecamatan: 'kec.name', updatedAt: 'n.updated_at' },
  },
  sites: {
    columns: SITE_COLUMNS,
    from: `sites s LEFT JOIN phases p ON p.id = s.phase_id ${AREA_JOINS('s')}`,
    alias: 's',
    sorts: { code: 's.code', name: 'lower(s.name)', kind: 's.kind', phase: 'p.name', kecamatan: 'kec.name', updatedAt: 's.updated_at' },
  },
};

/**
 * The inventory list: segments, nodes and sites as rows without geometry, filtered as the
 * exports are (inventoryWhereSql), sorted by one of a fixed set of columns and paged by offset.
 * The count and the page come from one statement, so they see the same rows.
 */
@Injectable()
export class InventoryRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectivity: ConnectivityRepository,
  ) {}

  async list<L extends InventoryLayer>(layer: L, query: InventoryQuery<L>): Promise<InventoryPage<L>> {
    if (layer === 'sites') await this.connectivity.refresh();
    const spec = LAYERS[layer] as { columns: string; from: string; alias: string; sorts: Record<string, string> };
    const params = new SqlParams();
    const where = inventoryWhereSql(layer, query.filter, params);
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    // A sort key may be null (no phase, no kecamatan): those rows come last either way.
    const key = spec.sorts[query.sort].replace('$statuses', () => params.add([...NETWORK_STATUSES])).replace('$tiers', () => params.add([...SEGMENT_TIERS]));
    const orderBy = `${key} ${direction} NULLS LAST, ${spec.alias}.code ${direction}, ${spec.alias}.id ${direction}`;
    const limit = params.add(query.limit);
    const offset = params.add(query.offset);
    const rows: ({ total: number; ord: number | null } & Record<string, unknown>)[] = await this.dataSource.query(
      `SELECT c.total, r.*
         FROM (SELECT count(*)::int AS total FROM ${spec.from} WHERE ${where}) c
         LEFT JOIN LATERAL (
           SELECT ${spec.columns}, row_number() OVER (ORDER BY ${orderBy}) AS ord
             FROM ${spec.from}
            WHERE ${where}
            ORDER BY ${orderBy}
            LIMIT ${limit} OFFSET ${offset}
         ) r ON true
        ORDER BY r.ord`,
      params.values,
    );
    const total = rows[0]?.total ?? 0;
    const page = rows.filter((row) => row.ord !== null).map(({ total: _total, ord: _ord, ...row }) => row as unknown as InventoryRows[L]);
    return { rows: page, total, offset: query.offset, limit: query.limit, sort: query.sort, order: query.order };
  }
}
