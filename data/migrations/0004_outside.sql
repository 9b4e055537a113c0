-- foreign_keys: off
-- 0004: the world beyond this store (R-W1..R-W6).
-- Runs with foreign-key enforcement off (the runner checks every key
-- afterwards) because transfers and their steps are rebuilt: their
-- organization columns no longer reference orgs, so that a branch emptied
-- by transfers out can be deleted (R-O4, R-W3) while its transfers keep the
-- organization's path as text.

-- Outside organizations (校外组织, R-W1) live beside the tree as top-level
-- rows flagged outside = 1: no parent, no administrators, no members of
-- their own but the ones who left to them.
ALTER TABLE orgs ADD COLUMN outside   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orgs ADD COLUMN norm_name TEXT    NOT NULL DEFAULT ''; -- the name without spaces, brackets made half-width
ALTER TABLE orgs ADD COLUMN address   TEXT    NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN contact   TEXT    NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN phone     TEXT    NOT NULL DEFAULT '';
CREATE UNIQUE INDEX orgs_outside_name ON orgs(norm_name) WHERE outside = 1;

-- Members who transferred out (R-W3) keep their record with status 已转出:
-- org_id points to where they went, left_from/left_path to the branch they left.
ALTER TABLE members ADD COLUMN left_at       TEXT    NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN left_to       TEXT    NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN left_from     TEXT    NOT NULL DEFAULT ''; -- the branch's full path, as text
ALTER TABLE members ADD COLUMN left_path     TEXT    NOT NULL DEFAULT ''; -- the branch's org path, for lists under a committee
ALTER TABLE members ADD COLUMN left_transfer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN incomplete    INTEGER NOT NULL DEFAULT 0; -- received from outside, fields of R-X2 still to complete (R-W4)
CREATE INDEX members_left ON members(left_path) WHERE status = '已转出';
CREATE INDEX members_incomplete ON members(org_id) WHERE incomplete = 1;

CREATE TABLE transfers_new (
    id            INTEGER PRIMARY KEY, -- the transfer number
    id_no         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    from_org      INTEGER NOT NULL,
    to_org        INTEGER, -- NULL: 转往特殊单位团组织 before approval, or 留校保留
    reason        TEXT    NOT NULL,
    scope         TEXT    NOT NULL DEFAULT '否',
    unit          TEXT    NOT NULL DEFAULT '',
    address       TEXT    NOT NULL DEFAULT '',
    remark        TEXT    NOT NULL DEFAULT '',
    keep_until    TEXT    NOT NULL DEFAULT '',
    abroad_place  TEXT    NOT NULL DEFAULT '',
    abroad_period TEXT    NOT NULL DEFAULT '',
    contact       TEXT    NOT NULL DEFAULT '',
    contact_phone TEXT    NOT NULL DEFAULT '',
    initiator     TEXT    NOT NULL,
    started_by    TEXT    NOT NULL,
    state         TEXT    NOT NULL,
    reject_reason TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    finished_at   TEXT    NOT NULL DEFAULT '',
    from_name     TEXT    NOT NULL DEFAULT '', -- full paths when started, kept if the organization is deleted
    to_name       TEXT    NOT NULL DEFAULT '',
    from_path     TEXT    NOT NULL DEFAULT '', -- the origin's org path (R-W6 by college)
    grad_month    TEXT    NOT NULL DEFAULT ''  -- the origin branch's graduation month when started (R-W6)
);
INSERT INTO transfers_new (id, id_no, name, from_org, to_org, reason, scope, unit, address, remark, keep_until,
    abroad_place, abroad_period, contact, contact_phone, initiator, started_by, state, reject_reason, created_at, finished_at,
    from_path, grad_month)
SELECT t.id, t.id_no, t.name, t.from_org, t.to_org, t.reason, t.scope, t.unit, t.address, t.remark, t.keep_until,
    t.abroad_place, t.abroad_period, t.contact, t.contact_phone, t.initiator, t.started_by, t.state, t.reject_reason, t.created_at, t.finished_at,
    ifnull((SELECT o.path FROM orgs o WHERE o.id = t.from_org), ''),
    ifnull((SELECT o.grad_month FROM orgs o WHERE o.id = t.from_org AND o.kind = '团支部'), '')
FROM transfers t;
DROP TABLE transfers;
ALTER TABLE transfers_new RENAME TO transfers;
CREATE INDEX transfers_member ON transfers(id_no);
CREATE INDEX transfers_state ON transfers(state);
CREATE INDEX transfers_from_path ON transfers(from_path);
CREATE INDEX transfers_to ON transfers(to_org);
CREATE INDEX transfers_grad ON transfers(grad_month) WHERE grad_month <> '';

CREATE TABLE transfer_steps_new (
    id          INTEGER PRIMARY KEY,
    transfer_id INTEGER NOT NULL REFERENCES transfers(id),
    seq         INTEGER NOT NULL,
    kind        TEXT    NOT NULL, -- 转出审批 | 转入审批 | 省级审批 | 学校团委审批 | 分配团支部
    org_id      INTEGER NOT NULL,
    opened_at   TEXT    NOT NULL DEFAULT '',
    due_at      TEXT    NOT NULL DEFAULT '',
    reminded_at TEXT    NOT NULL DEFAULT '',
    acted_at    TEXT    NOT NULL DEFAULT '',
    outcome     TEXT    NOT NULL DEFAULT '', -- 通过 | 退回 | 系统默认通过 | 已分配 | 对方已同意 | 对方退回
    actor       TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    org_name    TEXT    NOT NULL DEFAULT '', -- full path when created, kept if the organization is deleted
    learned_on  TEXT    NOT NULL DEFAULT '', -- an outside step: the date its answer was learned (R-W2)
    UNIQUE (transfer_id, seq)
);
INSERT INTO transfer_steps_new (id, transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note)
SELECT id, transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note FROM transfer_steps;
DROP TABLE transfer_steps;
ALTER TABLE transfer_steps_new RENAME TO transfer_steps;
CREATE INDEX transfer_steps_open ON transfer_steps(org_id) WHERE opened_at <> '' AND acted_at = '';
CREATE INDEX transfer_steps_due ON transfer_steps(due_at) WHERE opened_at <> '' AND acted_at = '';

-- The snapshots of the organizations' full paths for the rows already there.
CREATE TEMP TABLE full_names AS
WITH RECURSIVE fn(id, full) AS (
    SELECT id, name FROM orgs WHERE parent_id IS NULL
    UNION ALL SELECT o.id, fn.full || '/' || o.name FROM orgs o JOIN fn ON o.parent_id = fn.id)
SELECT id, full FROM fn;
UPDATE transfers SET from_name = ifnull((SELECT full FROM temp.full_names f WHERE f.id = transfers.from_org), ''),
    to_name = ifnull((SELECT full FROM temp.full_names f WHERE f.id = transfers.to_org), '');
UPDATE transfer_steps SET org_name = ifnull((SELECT full FROM temp.full_names f WHERE f.id = transfer_steps.org_id), '');
DROP TABLE temp.full_names;
