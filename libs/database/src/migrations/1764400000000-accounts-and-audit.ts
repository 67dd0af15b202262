import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, tokens, login throttling and the audit trail. The audit log is append-only: a
 * trigger refuses UPDATE and DELETE, whatever the client.
 */
export class AccountsAndAudit1764400000000 implements MigrationInterface {
  name = 'AccountsAndAudit1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email                text NOT NULL,
        username             text NOT NULL,
        display_name         text NOT NULL,
        role                 varchar(20) NOT NULL,
        password_hash        text NOT NULL,
        -- Technicians may be limited to some kecamatan; NULL means everywhere.
        kecamatan_codes      text[] NULL,
        active               boolean NOT NULL DEFAULT true,
        must_change_password boolean NOT NULL DEFAULT false,
        password_changed_at  timestamptz NOT NULL DEFAULT now(),
        version              integer NOT NULL DEFAULT 1,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_users_role CHECK (role IN ('admin','planner','technician','mentor','viewer')),
        CONSTRAINT chk_users_email CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
        CONSTRAINT chk_users_username CHECK (username ~ '^[a-z0-9._-]{3,40}$')
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_users_email ON users (lower(email))`);
    await q.query(`CREATE UNIQUE INDEX uq_users_username ON users (lower(username))`);
    await q.query(`CREATE INDEX idx_users_role ON users (role)`);

    await q.query(`
      CREATE TABLE auth_tokens (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       uuid NOT NULL,
        kind          varchar(10) NOT NULL,
        -- SHA-256 of the secret; the secret itself is never stored.
        token_hash    char(64) NOT NULL,
        csrf_hash     char(64) NULL,
        parent_id     uuid NULL,
        name          text NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        revoked_at    timestamptz NULL,
        last_used_at  timestamptz NULL,
        created_ip    text NULL,
        user_agent    text NULL,
        CONSTRAINT uq_auth_tokens_hash UNIQUE (token_hash),
        CONSTRAINT chk_auth_tokens_kind CHECK (kind IN ('session','access','refresh','personal')),
        CONSTRAINT fk_auth_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_auth_tokens_parent FOREIGN KEY (parent_id) REFERENCES auth_tokens (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX idx_auth_tokens_user ON auth_tokens (user_id, kind)`);
    await q.query(`CREATE INDEX idx_auth_tokens_parent ON auth_tokens (parent_id)`);

    await q.query(`
      CREATE TABLE login_throttle (
        key              text PRIMARY KEY,
        failures         integer NOT NULL DEFAULT 0,
        last_failure_at  timestamptz NOT NULL DEFAULT now(),
        locked_until     timestamptz NULL
      )`);

    await q.query(`
      CREATE TABLE demo_accounts (
        username     text PRIMARY KEY,
        password     text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE audit_log (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at            timestamptz NOT NULL DEFAULT now(),
        actor_id      uuid NULL,
        actor_label   text NOT NULL,
        action        varchar(40) NOT NULL,
        entity_type   varchar(40) NOT NULL,
        entity_id     text NULL,
        changes       jsonb NULL,
        request_id    text NULL,
        ip            text NULL,
        device_time   timestamptz NULL,
        CONSTRAINT fk_audit_log_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX idx_audit_log_entity ON audit_log (entity_type, entity_id, id)`);
    await q.query(`CREATE INDEX idx_audit_log_actor ON audit_log (actor_id, id)`);
    await q.query(`CREATE INDEX idx_audit_log_at ON audit_log (at)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // ON DELETE SET NULL on actor_id would be an UPDATE: users are deactivated, never deleted.
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT fk_audit_log_actor`);
    await q.query(`ALTER TABLE audit_log ADD CONSTRAINT fk_audit_log_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE RESTRICT`);

    await q.query(`ALTER TABLE status_changes ADD COLUMN changed_by_user_id uuid NULL`);
    await q.query(`ALTER TABLE status_changes ADD CONSTRAINT fk_status_changes_user FOREIGN KEY (changed_by_user_id) REFERENCES users (id) ON DELETE RESTRICT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE status_changes DROP CONSTRAINT fk_status_changes_user`);
    await q.query(`ALTER TABLE status_changes DROP COLUMN changed_by_user_id`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE demo_accounts`);
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`DROP TABLE auth_tokens`);
    await q.query(`DROP TABLE users`);
  }
}
