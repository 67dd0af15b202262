import type { AdminLevel } from '@serat/vocabulary';

/**
 * A point that falls in no polygon (the boundaries are simplified, a river bank may fall between
 * two desa) still belongs to the nearest area within this distance, in metres.
 */
export const AREA_SNAP_TOLERANCE_M = 1000;

/**
 * The SQL that picks the area of one level for a point expression: the polygon covering it (an
 * index lookup), else the nearest within the tolerance (geodesic distance, only then computed).
 * Both ask the subdivided pieces (admin_area_parts, at most 128 vertices each): the distance to an
 * area is the least distance to its pieces, and a small piece costs little to measure. The box
 * and the planar distance in degrees (SRID 4326) only narrow the candidates cheaply: below 26°
 * latitude, 1000 m is less than 0.01° in any direction.
 */
function areaAtSql(level: AdminLevel, point: string): string {
  return `coalesce(
    (SELECT p.area_code FROM admin_area_parts p
      WHERE p.level = '${level}' AND p.geom && ${point} AND ST_Covers(p.geom, ${point})
      ORDER BY p.area_code LIMIT 1),
    (SELECT p.area_code FROM admin_area_parts p
      WHERE p.level = '${level}'
        AND p.geom && ST_Expand(${point}, 0.01)
        AND ST_DWithin(p.geom, ${point}, 0.01)
        AND ST_DWithin(p.geom::geography, ${point}::geography, ${AREA_SNAP_TOLERANCE_M})
      GROUP BY p.area_code
      ORDER BY min(ST_Distance(p.geom::geography, ${point}::geography)), p.area_code
      LIMIT 1))`;
}

/**
 * Joins that give each row t (with a point column t.location) its desa (m_desa.code), kecamatan
 * (m_kec.code) and kabupaten (m_kab.code), consistent with the hierarchy: the desa decides its
 * kecamatan and the kecamatan its kabupaten, because the simplified polygons of different levels
 * overlap a little along shared borders. A level is searched on its own only where the level
 * below found nothing. `OFFSET 0` keeps each level a subquery of its own, computed once per row;
 * inlined, the desa search would run again inside the kecamatan and kabupaten expressions.
 * Usable in an INSERT … SELECT (NodesRepository.insertImported) as well as an UPDATE (pointAreasSql).
 */
export const MEMBERSHIP_JOINS = `
  LEFT JOIN LATERAL (SELECT ${areaAtSql('desa', 't.location')} AS code OFFSET 0) m_desa ON true
  LEFT JOIN LATERAL (SELECT coalesce((SELECT parent_code FROM admin_areas WHERE code = m_desa.code),
                                     ${areaAtSql('kecamatan', 't.location')}) AS code OFFSET 0) m_kec ON true
  LEFT JOIN LATERAL (SELECT coalesce((SELECT parent_code FROM admin_areas WHERE code = m_kec.code),
                                     ${areaAtSql('kabupaten', 't.location')}) AS code OFFSET 0) m_kab ON true`;

/**
 * The areas, as the polygons say, of the rows of a point table (sites or nodes): all of them when
 * $1 is null, else those whose ids $1 (uuid[]) holds. The SELECT of a CTE whose rows the table's
 * own repository writes back (assignAreas).
 */
export function pointAreasSql(table: 'sites' | 'nodes'): string {
  return `SELECT t.id, m_kab.code AS kabupaten_code, m_kec.code AS kecamatan_code, m_desa.code AS desa_code
           FROM ${table} t ${MEMBERSHIP_JOINS}
          -- A hashed IN: = ANY of a long array would compare each row with every id.
          WHERE $1::uuid[] IS NULL OR t.id IN (SELECT unnest($1::uuid[]))`;
}

/**
 * The rest of `UPDATE <table> t` after the table's name: sets the areas computed by
 * pointAreasSql (a CTE named `computed`) where they changed, returning the ids. The statement
 * itself, table named, stays in the table's own repository (one writer per table).
 */
export const ASSIGN_COMPUTED_AREAS = `SET kabupaten_code = c.kabupaten_code, kecamatan_code = c.kecamatan_code, desa_code = c.desa_code
           FROM computed c
          WHERE t.id = c.id
            AND (t.kabupaten_code IS DISTINCT FROM c.kabupaten_code
                 OR t.kecamatan_code IS DISTINCT FROM c.kecamatan_code
                 OR t.desa_code IS DISTINCT FROM c.desa_code)
         RETURNING t.id`;
