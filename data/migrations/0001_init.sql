-- 0001: organizations, members, accounts, cadres, administrators, audit trail, settings.

CREATE TABLE orgs (
    id           INTEGER PRIMARY KEY,
    parent_id    INTEGER REFERENCES orgs(id),
    name         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    category     TEXT    NOT NULL DEFAULT '',
    province     TEXT    NOT NULL,
    path         TEXT    NOT NULL DEFAULT '',
    grad_month   TEXT    NOT NULL DEFAULT '',
    grad_reason  TEXT    NOT NULL DEFAULT '',
    remark       TEXT    NOT NULL DEFAULT '',
    member_count INTEGER NOT NULL DEFAULT 0, -- direct members in the League, kept by the store (data/members.go)
    subtree_count INTEGER NOT NULL DEFAULT 0, -- members in the League in the whole subtree, kept likewise
    created_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX orgs_parent_name ON orgs(ifnull(parent_id, 0), name);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_path ON orgs(path);
CREATE INDEX orgs_province_name ON orgs(province, name);

CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    name            TEXT    NOT NULL,
    id_no           TEXT    NOT NULL UNIQUE,
    ethnicity       TEXT    NOT NULL DEFAULT '',
    political       TEXT    NOT NULL DEFAULT '',
    education       TEXT    NOT NULL DEFAULT '',
    join_month      TEXT    NOT NULL DEFAULT '',
    is_cadre        INTEGER NOT NULL DEFAULT 0,
    phone           TEXT    NOT NULL DEFAULT '',
    weibo           TEXT    NOT NULL DEFAULT '',
    qq              TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '',
    member_no       TEXT,   -- NULL when empty; unique otherwise
    post            TEXT    NOT NULL DEFAULT '',
    post_since      TEXT    NOT NULL DEFAULT '',
    cadre_nature    TEXT    NOT NULL DEFAULT '',
    party_committee INTEGER NOT NULL DEFAULT 0,
    developed_on    TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT '在团',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE UNIQUE INDEX members_no ON members(member_no) WHERE member_no IS NOT NULL;
CREATE INDEX members_org_name ON members(org_id, name);
CREATE INDEX members_name ON members(name);

CREATE TABLE accounts (
    id_no        TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    pass_hash    TEXT    NOT NULL,
    must_change  INTEGER NOT NULL DEFAULT 1,
    failed       INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL
);

CREATE TABLE cadres (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id_no           TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    post            TEXT    NOT NULL,
    post_since      TEXT    NOT NULL DEFAULT '',
    nature          TEXT    NOT NULL DEFAULT '',
    party_committee INTEGER NOT NULL DEFAULT 0,
    since           TEXT    NOT NULL,
    ended_at        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX cadres_org ON cadres(org_id);
CREATE INDEX cadres_person ON cadres(id_no);

CREATE TABLE admins (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    id_no      TEXT    NOT NULL REFERENCES accounts(id_no),
    granted_at TEXT    NOT NULL,
    revoked_at TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX admins_current ON admins(org_id, id_no) WHERE revoked_at = '';
CREATE INDEX admins_person ON admins(id_no);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    object  TEXT    NOT NULL DEFAULT '',
    org_id  INTEGER NOT NULL DEFAULT 0,
    member  TEXT    NOT NULL DEFAULT '',
    before  TEXT    NOT NULL DEFAULT '',
    after   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_actor ON audit(actor);
CREATE INDEX audit_member ON audit(member) WHERE member <> '';
CREATE INDEX audit_org ON audit(org_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
