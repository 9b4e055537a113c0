-- 0001 on PostgreSQL: the tables of ../0001_init.sql. Text columns compare
-- byte by byte (COLLATE "C"), as SQLite does: the store's prefix ranges and
-- orders rely on it whatever the database's locale. Flags stay integers
-- (0/1) as in SQLite. Rows get id = the largest id + 1 (as SQLite's INTEGER
-- PRIMARY KEY does) from a trigger: numbers are never skipped, and every
-- write transaction holds the store's one write lock (data/pg.go), so no
-- two transactions number at once.

CREATE FUNCTION tuanwu_id_orgs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM orgs;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE orgs (
    id           BIGINT  PRIMARY KEY,
    parent_id    BIGINT  REFERENCES orgs(id) DEFERRABLE,
    name         TEXT COLLATE "C"    NOT NULL,
    kind         TEXT COLLATE "C"    NOT NULL,
    category     TEXT COLLATE "C"    NOT NULL DEFAULT '',
    province     TEXT COLLATE "C"    NOT NULL,
    path         TEXT COLLATE "C"    NOT NULL DEFAULT '',
    grad_month   TEXT COLLATE "C"    NOT NULL DEFAULT '',
    grad_reason  TEXT COLLATE "C"    NOT NULL DEFAULT '',
    remark       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    member_count INTEGER NOT NULL DEFAULT 0,
    subtree_count INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT COLLATE "C"    NOT NULL
);
CREATE TRIGGER orgs_id BEFORE INSERT ON orgs FOR EACH ROW EXECUTE FUNCTION tuanwu_id_orgs();
CREATE UNIQUE INDEX orgs_parent_name ON orgs(coalesce(parent_id, 0), name);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_path ON orgs(path);
CREATE INDEX orgs_province_name ON orgs(province, name);

CREATE FUNCTION tuanwu_id_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM members;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE members (
    id              BIGINT  PRIMARY KEY,
    org_id          BIGINT  NOT NULL REFERENCES orgs(id) DEFERRABLE,
    name            TEXT COLLATE "C"    NOT NULL,
    id_no           TEXT COLLATE "C"    NOT NULL UNIQUE,
    ethnicity       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    political       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    education       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    join_month      TEXT COLLATE "C"    NOT NULL DEFAULT '',
    is_cadre        INTEGER NOT NULL DEFAULT 0,
    phone           TEXT COLLATE "C"    NOT NULL DEFAULT '',
    weibo           TEXT COLLATE "C"    NOT NULL DEFAULT '',
    qq              TEXT COLLATE "C"    NOT NULL DEFAULT '',
    email           TEXT COLLATE "C"    NOT NULL DEFAULT '',
    member_no       TEXT COLLATE "C",
    post            TEXT COLLATE "C"    NOT NULL DEFAULT '',
    post_since      TEXT COLLATE "C"    NOT NULL DEFAULT '',
    cadre_nature    TEXT COLLATE "C"    NOT NULL DEFAULT '',
    party_committee INTEGER NOT NULL DEFAULT 0,
    developed_on    TEXT COLLATE "C"    NOT NULL DEFAULT '',
    status          TEXT COLLATE "C"    NOT NULL DEFAULT '在团',
    created_at      TEXT COLLATE "C"    NOT NULL,
    updated_at      TEXT COLLATE "C"    NOT NULL
);
CREATE TRIGGER members_id BEFORE INSERT ON members FOR EACH ROW EXECUTE FUNCTION tuanwu_id_members();
CREATE UNIQUE INDEX members_no ON members(member_no) WHERE member_no IS NOT NULL;
CREATE INDEX members_org_name ON members(org_id, name);
CREATE INDEX members_name ON members(name);

CREATE TABLE accounts (
    id_no        TEXT COLLATE "C"    PRIMARY KEY,
    name         TEXT COLLATE "C"    NOT NULL,
    pass_hash    TEXT COLLATE "C"    NOT NULL,
    must_change  INTEGER NOT NULL DEFAULT 1,
    failed       INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT COLLATE "C"    NOT NULL DEFAULT '',
    created_at   TEXT COLLATE "C"    NOT NULL
);

CREATE FUNCTION tuanwu_id_cadres() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM cadres;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE cadres (
    id              BIGINT  PRIMARY KEY,
    org_id          BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE DEFERRABLE,
    id_no           TEXT COLLATE "C"    NOT NULL,
    name            TEXT COLLATE "C"    NOT NULL,
    post            TEXT COLLATE "C"    NOT NULL,
    post_since      TEXT COLLATE "C"    NOT NULL DEFAULT '',
    nature          TEXT COLLATE "C"    NOT NULL DEFAULT '',
    party_committee INTEGER NOT NULL DEFAULT 0,
    since           TEXT COLLATE "C"    NOT NULL,
    ended_at        TEXT COLLATE "C"    NOT NULL DEFAULT ''
);
CREATE TRIGGER cadres_id BEFORE INSERT ON cadres FOR EACH ROW EXECUTE FUNCTION tuanwu_id_cadres();
CREATE INDEX cadres_org ON cadres(org_id);
CREATE INDEX cadres_person ON cadres(id_no);

CREATE FUNCTION tuanwu_id_admins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM admins;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE admins (
    id         BIGINT  PRIMARY KEY,
    org_id     BIGINT  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE DEFERRABLE,
    id_no      TEXT COLLATE "C"    NOT NULL REFERENCES accounts(id_no) DEFERRABLE,
    granted_at TEXT COLLATE "C"    NOT NULL,
    revoked_at TEXT COLLATE "C"    NOT NULL DEFAULT ''
);
CREATE TRIGGER admins_id BEFORE INSERT ON admins FOR EACH ROW EXECUTE FUNCTION tuanwu_id_admins();
CREATE UNIQUE INDEX admins_current ON admins(org_id, id_no) WHERE revoked_at = '';
CREATE INDEX admins_person ON admins(id_no);

CREATE FUNCTION tuanwu_id_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM audit;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE audit (
    id      BIGINT  PRIMARY KEY,
    at      TEXT COLLATE "C"    NOT NULL,
    actor   TEXT COLLATE "C"    NOT NULL,
    action  TEXT COLLATE "C"    NOT NULL,
    object  TEXT COLLATE "C"    NOT NULL DEFAULT '',
    org_id  BIGINT  NOT NULL DEFAULT 0,
    member  TEXT COLLATE "C"    NOT NULL DEFAULT '',
    before  TEXT COLLATE "C"    NOT NULL DEFAULT '',
    after   TEXT COLLATE "C"    NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_id BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION tuanwu_id_audit();
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_actor ON audit(actor);
CREATE INDEX audit_member ON audit(member) WHERE member <> '';
CREATE INDEX audit_org ON audit(org_id);
-- The append-only triggers of the audit trail are made by 0005.

CREATE TABLE settings (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);
