-- 0004 on PostgreSQL: as ../0004_outside.sql. SQLite rebuilds transfers and
-- their steps to drop the references of their organization columns;
-- PostgreSQL drops the constraints.

ALTER TABLE orgs ADD COLUMN outside   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orgs ADD COLUMN norm_name TEXT COLLATE "C"    NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN address   TEXT COLLATE "C"    NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN contact   TEXT COLLATE "C"    NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN phone     TEXT COLLATE "C"    NOT NULL DEFAULT '';
CREATE UNIQUE INDEX orgs_outside_name ON orgs(norm_name) WHERE outside = 1;

ALTER TABLE members ADD COLUMN left_at       TEXT COLLATE "C"    NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN left_to       TEXT COLLATE "C"    NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN left_from     TEXT COLLATE "C"    NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN left_path     TEXT COLLATE "C"    NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN left_transfer BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN incomplete    INTEGER NOT NULL DEFAULT 0;
CREATE INDEX members_left ON members(left_path) WHERE status = '已转出';
CREATE INDEX members_incomplete ON members(org_id) WHERE incomplete = 1;

ALTER TABLE transfers DROP CONSTRAINT transfers_from_org_fkey;
ALTER TABLE transfers DROP CONSTRAINT transfers_to_org_fkey;
ALTER TABLE transfers ADD COLUMN from_name  TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN to_name    TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN from_path  TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN grad_month TEXT COLLATE "C" NOT NULL DEFAULT '';
DROP INDEX transfers_from;
CREATE INDEX transfers_from_path ON transfers(from_path);
CREATE INDEX transfers_grad ON transfers(grad_month) WHERE grad_month <> '';

ALTER TABLE transfer_steps DROP CONSTRAINT transfer_steps_org_id_fkey;
ALTER TABLE transfer_steps ADD COLUMN org_name   TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE transfer_steps ADD COLUMN learned_on TEXT COLLATE "C" NOT NULL DEFAULT '';

UPDATE transfers t SET from_path = o.path, grad_month = CASE WHEN o.kind = '团支部' THEN o.grad_month ELSE '' END
FROM orgs o WHERE o.id = t.from_org;

CREATE TEMP TABLE full_names ON COMMIT DROP AS
WITH RECURSIVE fn(id, full_name) AS (
    SELECT id, name FROM orgs WHERE parent_id IS NULL
    UNION ALL SELECT o.id, fn.full_name || '/' || o.name FROM orgs o JOIN fn ON o.parent_id = fn.id)
SELECT id, full_name FROM fn;
UPDATE transfers SET from_name = coalesce((SELECT f.full_name FROM full_names f WHERE f.id = transfers.from_org), ''),
    to_name = coalesce((SELECT f.full_name FROM full_names f WHERE f.id = transfers.to_org), '');
UPDATE transfer_steps SET org_name = coalesce((SELECT f.full_name FROM full_names f WHERE f.id = transfer_steps.org_id), '');
