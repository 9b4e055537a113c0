-- 0005: a tamper-evident audit trail (issue 10, item 6). Each audit entry
-- gets a row in audit_chain with hash = SHA-256 over the entry's content and
-- the previous entry's hash (a chain, as append-only logs such as
-- Certificate Transparency keep), written once, in id order, by the program
-- before the write transaction that added the entry commits (data/audit.go).
-- The entries already here are chained by the program in this migration's
-- own transaction. The settings row audit_head keeps the last entry's id and
-- hash. `check` verifies all of it, and the text of these triggers, which
-- keep both tables append-only (audit's are re-created here unchanged, so
-- that their expected text lives in one place).

CREATE TABLE audit_chain (
    id   INTEGER PRIMARY KEY, -- the audit entry's id
    hash TEXT    NOT NULL
);

DROP TRIGGER audit_no_update;
DROP TRIGGER audit_no_delete;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;

CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit trail is append-only');
END;
