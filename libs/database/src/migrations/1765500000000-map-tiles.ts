import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The map reads a tile's features a group at a time, the important ones first (the backbone
 * before distribution before drops; NOC, OLT and ODC before the rest; SOPD and kantor kecamatan
 * before other sites; see libs/contract/src/tiles.ts). In a dense tile the few important rows lie
 * among very many others: a partial GiST index per group finds them without walking the rest.
 * The last group of each table uses the table's own GiST index.
 */
const INDEXES: [name: string, table: string, column: string, where: string][] = [
  ['idx_segments_geom_backbone', 'segments', 'geom', `tier IN ('backbone')`],
  ['idx_segments_geom_distribution', 'segments', 'geom', `tier IN ('distribution')`],
  ['idx_nodes_location_major', 'nodes', 'location', `kind IN ('noc', 'olt', 'odc')`],
  ['idx_sites_location_offices', 'sites', 'location', `kind IN ('sopd', 'kantor_kecamatan')`],
  ['idx_sites_location_desa', 'sites', 'location', `kind IN ('kantor_desa', 'puskesmas')`],
];

export class MapTiles1765500000000 implements MigrationInterface {
  name = 'MapTiles1765500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [name, table, column, where] of INDEXES) await q.query(`CREATE INDEX ${name} ON ${table} USING gist (${column}) WHERE ${where}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) await q.query(`DROP INDEX ${name}`);
  }
}
