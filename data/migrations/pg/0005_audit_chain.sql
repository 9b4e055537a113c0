-- 0005 on PostgreSQL: as ../0005_audit_chain.sql, the audit trail's hash
-- chain (sealed by the program, data/audit.go) and the triggers that keep
-- both tables append-only. TRUNCATE, which row triggers do not see, is
-- refused too. `check` verifies these triggers (data/pgdialect.go).

CREATE TABLE audit_chain (
    id   BIGINT PRIMARY KEY,
    hash TEXT COLLATE "C"   NOT NULL
);

CREATE FUNCTION tuanwu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit trail is append-only';
END $$;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION tuanwu_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION tuanwu_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION tuanwu_append_only();
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain FOR EACH ROW EXECUTE FUNCTION tuanwu_append_only();
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION tuanwu_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT EXECUTE FUNCTION tuanwu_append_only();
