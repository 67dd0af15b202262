import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Milestones and their review (issue 12).
 *
 * - milestones: a checkable goal with a target date, in one of the categories a rollout goes
 *   through. Its criterion is one Serat checks itself from the progress figures (sites of a phase
 *   connected, km active in an area, every segment of a phase tested) or a manual one, recorded
 *   done by a planner with evidence attached (milestone_evidence). required_evidence names the
 *   kinds each segment in scope must have for the milestone to be approved.
 * - milestone_thread: the review thread, append-only: a mentor's review (approve or request
 *   changes, with a comment; a new review supersedes the one before) and planners' replies. What
 *   the milestone stood at when a review was written is kept with it (at_state).
 */
export class Milestones1765900000000 implements MigrationInterface {
  name = 'Milestones1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE milestones (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code              varchar(40) NOT NULL,
        title             text NOT NULL,
        description       text NULL,
        category          varchar(16) NOT NULL,
        phase_id          uuid NULL,
        area_code         varchar(20) NULL,
        target_date       date NOT NULL,
        criterion         varchar(20) NOT NULL,
        -- Percent of sites (sites_connected) or kilometres (km_active); null for the others.
        target_value      double precision NULL,
        -- sites_connected: only sites of this kind (null: every kind).
        site_kind         varchar(30) NULL,
        required_evidence text[] NOT NULL DEFAULT '{}',
        -- A manual criterion: the day a planner recorded it done, and what they wrote.
        manual_done_on    date NULL,
        manual_note       text NULL,
        version           integer NOT NULL DEFAULT 1,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_milestones_code UNIQUE (code),
        CONSTRAINT fk_milestones_phase FOREIGN KEY (phase_id) REFERENCES phases (id) ON DELETE RESTRICT,
        CONSTRAINT fk_milestones_area FOREIGN KEY (area_code) REFERENCES admin_areas (code) ON DELETE RESTRICT,
        CONSTRAINT chk_milestones_category CHECK (category IN ('survey', 'permits', 'construction', 'splicing', 'testing', 'handover')),
        CONSTRAINT chk_milestones_criterion CHECK (
          (criterion = 'sites_connected' AND phase_id IS NOT NULL AND target_value > 0 AND target_value <= 100)
          OR (criterion = 'km_active' AND area_code IS NOT NULL AND target_value > 0)
          OR (criterion = 'segments_tested' AND phase_id IS NOT NULL AND target_value IS NULL)
          OR (criterion = 'manual' AND target_value IS NULL)),
        CONSTRAINT chk_milestones_manual CHECK (criterion = 'manual' OR manual_done_on IS NULL),
        CONSTRAINT chk_milestones_evidence CHECK (required_evidence <@ ARRAY['photo', 'gps', 'otdr']::text[])
      )`);
    await q.query(`CREATE INDEX idx_milestones_phase ON milestones (phase_id)`);
    await q.query(`CREATE INDEX idx_milestones_target ON milestones (target_date, code)`);

    await q.query(`
      CREATE TABLE milestone_evidence (
        milestone_id uuid NOT NULL,
        photo_id     uuid NOT NULL,
        attached_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_milestone_evidence PRIMARY KEY (milestone_id, photo_id),
        CONSTRAINT fk_milestone_evidence_milestone FOREIGN KEY (milestone_id) REFERENCES milestones (id) ON DELETE CASCADE,
        CONSTRAINT fk_milestone_evidence_photo FOREIGN KEY (photo_id) REFERENCES photos (id) ON DELETE RESTRICT
      )`);

    await q.query(`
      CREATE TABLE milestone_thread (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        milestone_id uuid NOT NULL,
        kind         varchar(8) NOT NULL,
        verdict      varchar(16) NULL,
        body         text NOT NULL,
        author_id    uuid NOT NULL,
        author_label text NOT NULL,
        -- A review: the review it supersedes; a reply: the review it answers.
        refers_to    bigint NULL,
        -- A review: the milestone's state, progress and missing evidence when it was written.
        at_state     jsonb NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fk_milestone_thread_milestone FOREIGN KEY (milestone_id) REFERENCES milestones (id) ON DELETE RESTRICT,
        CONSTRAINT fk_milestone_thread_author FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE RESTRICT,
        CONSTRAINT fk_milestone_thread_refers FOREIGN KEY (refers_to) REFERENCES milestone_thread (id),
        CONSTRAINT chk_milestone_thread_kind CHECK (
          (kind = 'review' AND verdict IN ('approve', 'request_changes')) OR (kind = 'reply' AND verdict IS NULL)),
        CONSTRAINT chk_milestone_thread_body CHECK (length(btrim(body)) > 0)
      )`);
    await q.query(`CREATE INDEX idx_milestone_thread_milestone ON milestone_thread (milestone_id, id)`);
    await q.query(`
      CREATE FUNCTION milestone_thread_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'milestone_thread is append-only: a review is superseded by a new one, never edited' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_milestone_thread_append_only BEFORE UPDATE OR DELETE ON milestone_thread
      FOR EACH STATEMENT EXECUTE FUNCTION milestone_thread_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE milestone_thread`);
    await q.query(`DROP FUNCTION milestone_thread_append_only()`);
    await q.query(`DROP TABLE milestone_evidence`);
    await q.query(`DROP TABLE milestones`);
  }
}
