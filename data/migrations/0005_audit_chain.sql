-- 0005: a tamper-evident audit trail (issue 10, item 6). Each entry carries
-- hash = SHA-256 over its content and the previous entry's hash (a chain, as
-- append-only logs such as Certificate Transparency keep), set once, in id
-- order, by the program before the write transaction that added the entry
-- commits (data/audit.go). The entries already here are chained by the
-- program in this migration's own transaction. The settings row audit_head
-- keeps the last entry's id and hash, so that deleting entries at the end
-- shows too. `check` verifies all of it, and these triggers' text.

ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';

DROP TRIGGER audit_no_update;
DROP TRIGGER audit_no_delete;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN OLD.hash <> '' OR NEW.hash = '' OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
    OR NEW.action IS NOT OLD.action OR NEW.object IS NOT OLD.object OR NEW.org_id IS NOT OLD.org_id
    OR NEW.member IS NOT OLD.member OR NEW.before IS NOT OLD.before OR NEW.after IS NOT OLD.after
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;

CREATE TRIGGER audit_sealed_by_program BEFORE INSERT ON audit
WHEN NEW.hash <> ''
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only: entries are sealed by the program');
END;
