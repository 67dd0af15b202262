import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  MilestoneCategory,
  MilestoneCriterion,
  MilestoneEvidenceItem,
  MilestoneEvidenceKind,
  MilestoneEvidenceStatus,
  MilestoneThreadEntry,
  ReviewStatus,
  ReviewVerdict,
} from '@serat/contract';
import type { SiteKind } from '@serat/vocabulary';
import { DataSource, EntityManager } from 'typeorm';

/** The fields a planner sets on a milestone. */
export interface MilestoneFields {
  code: string;
  title: string;
  description: string | null;
  category: MilestoneCategory;
  phaseId: string | null;
  areaCode: string | null;
  targetDate: string;
  criterion: MilestoneCriterion;
  targetValue: number | null;
  siteKind: SiteKind | null;
  requiredEvidence: MilestoneEvidenceKind[];
}

/** A milestone as stored, with its thread's standing (the evaluation is worked out by the service). */
export interface MilestoneRow extends MilestoneFields {
  id: string;
  phaseCode: string | null;
  areaName: string | null;
  /** The area's level, for km_active: where its history is kept. */
  areaLevel: string | null;
  manualDoneOn: string | null;
  manualNote: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  review: { status: ReviewStatus; lastEntryAt: string | null; entries: number };
}

export interface MilestoneListQuery {
  phaseId: string | null;
  /** review: a planner wrote last (mentors' turn); answer: a mentor asked for changes (planners' turn). */
  awaiting: 'review' | 'answer' | null;
  limit: number;
  /** The cursor: "targetDate|code" of the last milestone seen. */
  after: string | null;
}

/** An entry to append: the thread's own fields, less what the database gives it. */
export type NewThreadEntry = Pick<MilestoneThreadEntry, 'kind' | 'verdict' | 'body' | 'authorId' | 'authorLabel' | 'refersTo' | 'atState'> & { milestoneId: string };

const COLUMNS: Record<keyof MilestoneFields, string> = {
  code: 'code',
  title: 'title',
  description: 'description',
  category: 'category',
  phaseId: 'phase_id',
  areaCode: 'area_code',
  targetDate: 'target_date',
  criterion: 'criterion',
  targetValue: 'target_value',
  siteKind: 'site_kind',
  requiredEvidence: 'required_evidence',
};

const SELECT = `
  SELECT m.id, m.code, m.title, m.description, m.category, m.phase_id AS "phaseId", p.code AS "phaseCode",
         m.area_code AS "areaCode", a.name AS "areaName", a.level AS "areaLevel",
         to_char(m.target_date, 'YYYY-MM-DD') AS "targetDate", m.criterion, m.target_value AS "targetValue",
         m.site_kind AS "siteKind", m.required_evidence AS "requiredEvidence",
         to_char(m.manual_done_on, 'YYYY-MM-DD') AS "manualDoneOn", m.manual_note AS "manualNote", m.version,
         m.created_at AS "createdAt", m.updated_at AS "updatedAt",
         CASE WHEN last.kind IS NULL THEN 'none' WHEN last.kind = 'reply' THEN 'awaiting_review'
              WHEN last.verdict = 'approve' THEN 'approved' ELSE 'changes_requested' END AS "reviewStatus",
         last.created_at AS "lastEntryAt", coalesce(last.entries, 0) AS entries
    FROM milestones m
    LEFT JOIN phases p ON p.id = m.phase_id
    LEFT JOIN admin_areas a ON a.code = m.area_code
    LEFT JOIN LATERAL (
      SELECT t.kind, t.verdict, t.created_at,
             (SELECT count(*)::int FROM milestone_thread c WHERE c.milestone_id = m.id) AS entries
        FROM milestone_thread t WHERE t.milestone_id = m.id ORDER BY t.id DESC LIMIT 1
    ) last ON true`;

/** Which of a segment's status changes carry each kind of evidence (a photo's EXIF position counts as GPS). */
const EVIDENCE_OF_SEGMENT = `
  EXISTS (SELECT 1 FROM status_changes c JOIN photos ph ON ph.status_change_id = c.id WHERE c.segment_id = s.id) AS photo,
  EXISTS (SELECT 1 FROM status_changes c WHERE c.segment_id = s.id AND c.gps IS NOT NULL)
    OR EXISTS (SELECT 1 FROM status_changes c JOIN photos ph ON ph.status_change_id = c.id WHERE c.segment_id = s.id AND ph.exif_position IS NOT NULL) AS gps,
  EXISTS (SELECT 1 FROM status_changes c WHERE c.segment_id = s.id AND c.otdr_loss_db IS NOT NULL) AS otdr`;

function toRow(row: Record<string, unknown>): MilestoneRow {
  const { reviewStatus, lastEntryAt, entries, createdAt, updatedAt, ...rest } = row;
  return {
    ...(rest as unknown as MilestoneRow),
    createdAt: new Date(createdAt as string).toISOString(),
    updatedAt: new Date(updatedAt as string).toISOString(),
    review: { status: reviewStatus as ReviewStatus, lastEntryAt: lastEntryAt ? new Date(lastEntryAt as string).toISOString() : null, entries: entries as number },
  };
}

/** One status change of a segment in a milestone's scope, as an evidence pack lists it. */
export interface ScopeHistoryRow {
  id: string;
  segmentCode: string;
  fromStatus: string | null;
  toStatus: string;
  changedAt: string;
  deviceTime: string | null;
  changedBy: string;
  note: string | null;
  gpsLon: number | null;
  gpsLat: number | null;
  gpsAccuracyM: number | null;
  otdrLossDb: number | null;
  otdrLengthM: number | null;
  otdrWavelengthNm: number | null;
  photos: number;
}

/** One photo behind a milestone: a segment's (taken with a status change) or attached to the milestone (segmentCode null). */
export interface ScopePhotoRow {
  id: string;
  segmentCode: string | null;
  statusChangeId: string | null;
  toStatus: string | null;
  contentType: string;
  sizeBytes: number;
  takenAt: string | null;
  exifLon: number | null;
  exifLat: number | null;
  uploadedAt: string;
  uploadedBy: string | null;
}

/** Milestones, the evidence of their scope, their attached photos and their review thread: the one writer of milestones, milestone_evidence and milestone_thread. */
@Injectable()
export class MilestonesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One page by target date, then code. */
  async list(query: MilestoneListQuery): Promise<{ milestones: MilestoneRow[]; nextCursor: string | null }> {
    const [afterDate, afterCode] = query.after ? query.after.split('|') : [null, null];
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM (${SELECT}
         WHERE ($1::uuid IS NULL OR m.phase_id = $1)
           AND ($2::date IS NULL OR (m.target_date, m.code) > ($2::date, $3::text))
       ) x
       WHERE $4::text IS NULL OR x."reviewStatus" = $4
       ORDER BY x."targetDate", x.code
       LIMIT $5`,
      [query.phaseId, afterDate, afterCode, query.awaiting === 'review' ? 'awaiting_review' : query.awaiting === 'answer' ? 'changes_requested' : null, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const milestones = (more ? rows.slice(0, query.limit) : rows).map(toRow);
    const last = milestones[milestones.length - 1];
    return { milestones, nextCursor: more ? `${last.targetDate}|${last.code}` : null };
  }

  /** How many milestones there are (of a phase). */
  async count(phaseId: string | null): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM milestones WHERE $1::uuid IS NULL OR phase_id = $1`, [phaseId]);
    return row.n;
  }

  /** One milestone; `lock` takes its row, so that edits and thread entries of it go one at a time. */
  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<MilestoneRow | null> {
    if (lock) await manager.query(`SELECT 1 FROM milestones WHERE id = $1 FOR UPDATE`, [id]);
    const [row] = await manager.query(`${SELECT} WHERE m.id = $1`, [id]);
    return row ? toRow(row) : null;
  }

  async insert(fields: MilestoneFields, manager: EntityManager): Promise<string> {
    const keys = Object.keys(COLUMNS) as (keyof MilestoneFields)[];
    const [row] = await manager.query(
      `INSERT INTO milestones (${keys.map((key) => COLUMNS[key]).join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      keys.map((key) => fields[key]),
    );
    return row.id;
  }

  /** Writes the fields given and moves the version on. */
  async update(id: string, fields: Partial<MilestoneFields>, manager: EntityManager): Promise<void> {
    const keys = (Object.keys(fields) as (keyof MilestoneFields)[]).filter((key) => fields[key] !== undefined && key in COLUMNS);
    const sets = keys.map((key, i) => `${COLUMNS[key]} = $${i + 2}`);
    await manager.query(`UPDATE milestones SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...keys.map((key) => fields[key])]);
  }

  /** Records a manual criterion done on a day, with the planner's note. */
  async recordDone(id: string, doneOn: string, note: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE milestones SET manual_done_on = $2, manual_note = $3, version = version + 1, updated_at = now() WHERE id = $1`, [id, doneOn, note]);
  }

  /**
   * Attaches to a milestone those of the photos the uploader owns; returns their ids (attached
   * ones stay). The rows are locked first, so that the clean-up of unlinked photos skips them.
   */
  async attachPhotos(id: string, photoIds: string[], uploaderId: string, manager: EntityManager): Promise<string[]> {
    if (photoIds.length === 0) return [];
    const rows: { id: string }[] = await manager.query(`SELECT id FROM photos WHERE id = ANY($1::uuid[]) AND uploaded_by = $2 FOR UPDATE`, [photoIds, uploaderId]);
    await manager.query(`INSERT INTO milestone_evidence (milestone_id, photo_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [id, rows.map((row) => row.id)]);
    return rows.map((row) => row.id);
  }

  /** The photos attached to a milestone, in the order attached (bounded). */
  async photos(id: string, limit: number): Promise<{ id: string; takenAt: string | null; attachedAt: string }[]> {
    const rows = await this.dataSource.query(
      `SELECT p.id, p.taken_at AS "takenAt", e.attached_at AS "attachedAt"
         FROM milestone_evidence e JOIN photos p ON p.id = e.photo_id
        WHERE e.milestone_id = $1 ORDER BY e.attached_at, p.id LIMIT $2`,
      [id, limit],
    );
    return rows.map((row: { id: string; takenAt: Date | null; attachedAt: Date }) => ({
      id: row.id,
      takenAt: row.takenAt ? new Date(row.takenAt).toISOString() : null,
      attachedAt: new Date(row.attachedAt).toISOString(),
    }));
  }

  /**
   * The segments a milestone's evidence is asked of: the phase's (but decommissioned ones), or
   * for km_active the active ones with metres in the area. A manual criterion has none.
   */
  private scopeSql(milestone: Pick<MilestoneRow, 'criterion' | 'phaseId' | 'areaCode'>): { sql: string; params: unknown[] } {
    if (milestone.criterion === 'manual') return { sql: `SELECT s.* FROM segments s WHERE false`, params: [] };
    if (milestone.criterion === 'km_active') {
      return {
        sql: `SELECT s.* FROM segments s WHERE s.status = 'active' AND EXISTS (SELECT 1 FROM segment_areas sa WHERE sa.segment_id = s.id AND sa.area_code = $1)`,
        params: [milestone.areaCode],
      };
    }
    return { sql: `SELECT s.* FROM segments s WHERE s.phase_id = $1 AND s.status <> 'decommissioned'`, params: [milestone.phaseId] };
  }

  /** How many segments in scope lack each kind of evidence the milestone requires, and how many photos are attached to it. */
  async evidenceStatus(milestone: Pick<MilestoneRow, 'id' | 'criterion' | 'phaseId' | 'areaCode' | 'requiredEvidence'>): Promise<MilestoneEvidenceStatus> {
    const scope = this.scopeSql(milestone);
    const n = scope.params.length;
    const [row] = await this.dataSource.query(
      `WITH scope AS (${scope.sql}), evidence AS (SELECT s.id, ${EVIDENCE_OF_SEGMENT} FROM scope s)
       SELECT count(*)::int AS segments,
              count(*) FILTER (WHERE NOT photo)::int AS photo,
              count(*) FILTER (WHERE NOT gps)::int AS gps,
              count(*) FILTER (WHERE NOT otdr)::int AS otdr,
              (SELECT count(*)::int FROM milestone_evidence WHERE milestone_id = $${n + 1}) AS attached
         FROM evidence`,
      [...scope.params, milestone.id],
    );
    const missing = milestone.requiredEvidence.map((kind) => ({ kind, segments: row[kind] as number }));
    const manualOk = milestone.criterion !== 'manual' || row.attached > 0;
    return {
      required: milestone.requiredEvidence,
      segmentsInScope: row.segments,
      missing,
      attachedPhotos: row.attached,
      complete: manualOk && missing.every((entry) => entry.segments === 0),
    };
  }

  /** One page of the segments in scope by code, with the evidence their history holds; `missing` keeps those without that kind. */
  async evidenceItems(
    milestone: Pick<MilestoneRow, 'criterion' | 'phaseId' | 'areaCode' | 'requiredEvidence'>,
    query: { missing: MilestoneEvidenceKind | null; limit: number; after: string | null },
  ): Promise<{ items: MilestoneEvidenceItem[]; nextCursor: string | null }> {
    const scope = this.scopeSql(milestone);
    const n = scope.params.length;
    const rows = await this.dataSource.query(
      `WITH scope AS (${scope.sql})
       SELECT * FROM (
         SELECT s.id AS "segmentId", s.code, s.contractor, s.status, s.length_m AS "lengthM", ${EVIDENCE_OF_SEGMENT},
                (SELECT count(*)::int FROM status_changes c JOIN photos ph ON ph.status_change_id = c.id WHERE c.segment_id = s.id) AS photos,
                (SELECT json_build_object('lossDb', c.otdr_loss_db, 'lengthM', c.otdr_length_m, 'wavelengthNm', c.otdr_wavelength_nm, 'at', c.changed_at)
                   FROM status_changes c WHERE c.segment_id = s.id AND c.otdr_loss_db IS NOT NULL ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) AS "otdrReading"
           FROM scope s
          WHERE ($${n + 1}::text IS NULL OR s.code > $${n + 1})
       ) x
       WHERE ($${n + 2}::text IS NULL OR ($${n + 2} = 'photo' AND NOT x.photo) OR ($${n + 2} = 'gps' AND NOT x.gps) OR ($${n + 2} = 'otdr' AND NOT x.otdr))
       ORDER BY x.code
       LIMIT $${n + 3}`,
      [...scope.params, query.after, query.missing, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const items: MilestoneEvidenceItem[] = (more ? rows.slice(0, query.limit) : rows).map(
      (row: {
        segmentId: string;
        code: string;
        contractor: string | null;
        status: MilestoneEvidenceItem['status'];
        lengthM: number;
        photo: boolean;
        gps: boolean;
        otdr: boolean;
        photos: number;
        otdrReading: { lossDb: number; lengthM: number | null; wavelengthNm: number | null; at: string } | null;
      }) => ({
        segmentId: row.segmentId,
        code: row.code,
        contractor: row.contractor,
        status: row.status,
        lengthM: row.lengthM,
        photos: row.photos,
        gps: row.gps,
        otdr: row.otdrReading ? { ...row.otdrReading, at: new Date(row.otdrReading.at).toISOString() } : null,
        missing: milestone.requiredEvidence.filter((kind) => !row[kind]),
      }),
    );
    return { items, nextCursor: more ? items[items.length - 1].code : null };
  }

  /**
   * One page of the status history of the segments in scope, by id: what an evidence pack lists,
   * with each change's GPS position, OTDR reading and how many photos it took.
   */
  async scopeHistory(milestone: Pick<MilestoneRow, 'criterion' | 'phaseId' | 'areaCode'>, afterId: string | null, limit: number): Promise<ScopeHistoryRow[]> {
    const scope = this.scopeSql(milestone);
    const n = scope.params.length;
    const rows = await this.dataSource.query(
      `WITH scope AS (${scope.sql})
       SELECT c.id::text AS id, s.code AS "segmentCode", c.from_status AS "fromStatus", c.to_status AS "toStatus", c.changed_at AS "changedAt",
              c.device_time AS "deviceTime", c.changed_by AS "changedBy", c.note,
              ST_X(c.gps) AS "gpsLon", ST_Y(c.gps) AS "gpsLat", c.gps_accuracy_m AS "gpsAccuracyM",
              c.otdr_loss_db AS "otdrLossDb", c.otdr_length_m AS "otdrLengthM", c.otdr_wavelength_nm AS "otdrWavelengthNm",
              (SELECT count(*)::int FROM photos p WHERE p.status_change_id = c.id) AS photos
         FROM status_changes c JOIN scope s ON s.id = c.segment_id
        WHERE ($${n + 1}::bigint IS NULL OR c.id > $${n + 1}::bigint)
        ORDER BY c.id
        LIMIT $${n + 2}`,
      [...scope.params, afterId, limit],
    );
    return rows.map((row: ScopeHistoryRow & { changedAt: Date; deviceTime: Date | null }) => ({
      ...row,
      changedAt: new Date(row.changedAt).toISOString(),
      deviceTime: row.deviceTime ? new Date(row.deviceTime).toISOString() : null,
    }));
  }

  /**
   * One page of the photos behind a milestone, by id: those the status changes of its segments in
   * scope took, then those attached to it (a manual criterion's), with their EXIF time and position.
   */
  async scopePhotos(milestone: Pick<MilestoneRow, 'id' | 'criterion' | 'phaseId' | 'areaCode'>, afterId: string | null, limit: number): Promise<ScopePhotoRow[]> {
    const scope = this.scopeSql(milestone);
    const n = scope.params.length;
    const rows = await this.dataSource.query(
      `WITH scope AS (${scope.sql}),
            taken AS (
              SELECT p.id, s.code AS "segmentCode", c.id::text AS "statusChangeId", c.to_status AS "toStatus" FROM photos p
                JOIN status_changes c ON c.id = p.status_change_id JOIN scope s ON s.id = c.segment_id
              UNION ALL
              SELECT e.photo_id, NULL, NULL, NULL FROM milestone_evidence e WHERE e.milestone_id = $${n + 1}
            )
       SELECT DISTINCT ON (p.id) p.id, t."segmentCode", t."statusChangeId", t."toStatus", p.content_type AS "contentType", p.size_bytes AS "sizeBytes",
              p.taken_at AS "takenAt", ST_X(p.exif_position) AS "exifLon", ST_Y(p.exif_position) AS "exifLat", p.uploaded_at AS "uploadedAt",
              u.username AS "uploadedBy"
         FROM taken t JOIN photos p ON p.id = t.id LEFT JOIN users u ON u.id = p.uploaded_by
        WHERE ($${n + 2}::uuid IS NULL OR p.id > $${n + 2}::uuid)
        ORDER BY p.id
        LIMIT $${n + 3}`,
      [...scope.params, milestone.id, afterId, limit],
    );
    return rows.map((row: ScopePhotoRow & { takenAt: Date | null; uploadedAt: Date }) => ({
      ...row,
      takenAt: row.takenAt ? new Date(row.takenAt).toISOString() : null,
      uploadedAt: new Date(row.uploadedAt).toISOString(),
    }));
  }

  /** What the photos behind a milestone weigh together (an evidence pack's size before it is built). */
  async scopePhotoBytes(milestone: Pick<MilestoneRow, 'id' | 'criterion' | 'phaseId' | 'areaCode'>): Promise<{ photos: number; bytes: number }> {
    const scope = this.scopeSql(milestone);
    const n = scope.params.length;
    const [row] = await this.dataSource.query(
      `WITH scope AS (${scope.sql}),
            taken AS (
              SELECT p.id FROM photos p JOIN status_changes c ON c.id = p.status_change_id JOIN scope s ON s.id = c.segment_id
              UNION SELECT e.photo_id FROM milestone_evidence e WHERE e.milestone_id = $${n + 1}
            )
       SELECT count(*)::int AS photos, coalesce(sum(p.size_bytes), 0)::float8 AS bytes FROM taken t JOIN photos p ON p.id = t.id`,
      [...scope.params, milestone.id],
    );
    return row;
  }

  /** The latest review of each of the milestones (those without one are absent). */
  async latestReviews(ids: string[]): Promise<Map<string, { verdict: ReviewVerdict; body: string; authorLabel: string; createdAt: string }>> {
    if (ids.length === 0) return new Map();
    const rows: { milestoneId: string; verdict: ReviewVerdict; body: string; authorLabel: string; createdAt: Date }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (t.milestone_id) t.milestone_id AS "milestoneId", t.verdict, t.body, t.author_label AS "authorLabel", t.created_at AS "createdAt"
         FROM milestone_thread t WHERE t.milestone_id = ANY($1::uuid[]) AND t.kind = 'review'
        ORDER BY t.milestone_id, t.id DESC`,
      [ids],
    );
    return new Map(rows.map((row) => [row.milestoneId, { verdict: row.verdict, body: row.body, authorLabel: row.authorLabel, createdAt: new Date(row.createdAt).toISOString() }]));
  }

  /** The thread's last review (the one a new review supersedes and a reply answers), or null. */
  async lastReview(id: string, manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query(`SELECT id::text FROM milestone_thread WHERE milestone_id = $1 AND kind = 'review' ORDER BY id DESC LIMIT 1`, [id]);
    return row?.id ?? null;
  }

  async appendEntry(entry: NewThreadEntry, manager: EntityManager): Promise<MilestoneThreadEntry> {
    const [row] = await manager.query(
      `INSERT INTO milestone_thread (milestone_id, kind, verdict, body, author_id, author_label, refers_to, at_state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
      [entry.milestoneId, entry.kind, entry.verdict, entry.body, entry.authorId, entry.authorLabel, entry.refersTo, entry.atState ? JSON.stringify(entry.atState) : null],
    );
    const [written] = await this.threadPage(entry.milestoneId, 1, String(BigInt(row.id) - 1n), manager);
    return written;
  }

  /** One page of the thread, oldest first, after the id of the last entry seen. */
  async thread(id: string, limit: number, after: string | null): Promise<{ entries: MilestoneThreadEntry[]; nextCursor: string | null }> {
    const rows = await this.threadPage(id, limit + 1, after);
    const more = rows.length > limit;
    const entries = more ? rows.slice(0, limit) : rows;
    return { entries, nextCursor: more ? entries[entries.length - 1].id : null };
  }

  private async threadPage(id: string, limit: number, after: string | null, manager: EntityManager = this.dataSource.manager): Promise<MilestoneThreadEntry[]> {
    const rows = await manager.query(
      `SELECT t.id::text, t.kind, t.verdict, t.body, t.author_id AS "authorId", t.author_label AS "authorLabel",
              t.refers_to::text AS "refersTo", t.at_state AS "atState", t.created_at AS "createdAt",
              (SELECT n.id::text FROM milestone_thread n WHERE n.milestone_id = t.milestone_id AND n.kind = 'review' AND n.refers_to = t.id AND t.kind = 'review' LIMIT 1) AS "supersededBy"
         FROM milestone_thread t
        WHERE t.milestone_id = $1 AND ($2::bigint IS NULL OR t.id > $2::bigint)
        ORDER BY t.id
        LIMIT $3`,
      [id, after, limit],
    );
    return rows.map((row: MilestoneThreadEntry & { createdAt: Date }) => ({ ...row, createdAt: new Date(row.createdAt).toISOString() }));
  }

  /** Whether a phase exists. */
  async phaseExists(id: string, manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query(`SELECT EXISTS (SELECT 1 FROM phases WHERE id = $1) AS found`, [id]);
    return row.found;
  }

  /** The level of an area, or null when there is no such area. */
  async areaLevel(code: string, manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query(`SELECT level FROM admin_areas WHERE code = $1`, [code]);
    return row?.level ?? null;
  }
}
