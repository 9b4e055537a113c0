-- 0002 on PostgreSQL: as ../0002_marks_transfers_letters.sql.

ALTER TABLE members ADD COLUMN mark        TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN mark_month  TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN mark_reason TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN error_kind  TEXT COLLATE "C" NOT NULL DEFAULT '';

CREATE FUNCTION tuanwu_id_member_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM member_status;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE member_status (
    id      BIGINT PRIMARY KEY,
    id_no   TEXT COLLATE "C" NOT NULL,
    status  TEXT COLLATE "C" NOT NULL,
    date    TEXT COLLATE "C" NOT NULL,
    reason  TEXT COLLATE "C" NOT NULL DEFAULT '',
    actor   TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL
);
CREATE TRIGGER member_status_id BEFORE INSERT ON member_status FOR EACH ROW EXECUTE FUNCTION tuanwu_id_member_status();
CREATE INDEX member_status_id_no ON member_status(id_no);

CREATE FUNCTION tuanwu_id_member_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM member_history;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE member_history (
    id      BIGINT PRIMARY KEY,
    id_no   TEXT COLLATE "C" NOT NULL,
    name    TEXT COLLATE "C" NOT NULL,
    org     TEXT COLLATE "C" NOT NULL,
    record  TEXT COLLATE "C" NOT NULL,
    reason  TEXT COLLATE "C" NOT NULL,
    actor   TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL
);
CREATE TRIGGER member_history_id BEFORE INSERT ON member_history FOR EACH ROW EXECUTE FUNCTION tuanwu_id_member_history();
CREATE INDEX member_history_id_no ON member_history(id_no);

CREATE INDEX orgs_grad ON orgs(grad_month);
CREATE INDEX members_developed ON members(org_id) WHERE developed_on <> '';

CREATE FUNCTION tuanwu_id_transfers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM transfers;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE transfers (
    id            BIGINT  PRIMARY KEY,
    id_no         TEXT COLLATE "C"    NOT NULL,
    name          TEXT COLLATE "C"    NOT NULL,
    from_org      BIGINT  NOT NULL REFERENCES orgs(id) DEFERRABLE,
    to_org        BIGINT  REFERENCES orgs(id) DEFERRABLE,
    reason        TEXT COLLATE "C"    NOT NULL,
    scope         TEXT COLLATE "C"    NOT NULL DEFAULT '否',
    unit          TEXT COLLATE "C"    NOT NULL DEFAULT '',
    address       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    remark        TEXT COLLATE "C"    NOT NULL DEFAULT '',
    keep_until    TEXT COLLATE "C"    NOT NULL DEFAULT '',
    abroad_place  TEXT COLLATE "C"    NOT NULL DEFAULT '',
    abroad_period TEXT COLLATE "C"    NOT NULL DEFAULT '',
    contact       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    contact_phone TEXT COLLATE "C"    NOT NULL DEFAULT '',
    initiator     TEXT COLLATE "C"    NOT NULL,
    started_by    TEXT COLLATE "C"    NOT NULL,
    state         TEXT COLLATE "C"    NOT NULL,
    reject_reason TEXT COLLATE "C"    NOT NULL DEFAULT '',
    created_at    TEXT COLLATE "C"    NOT NULL,
    finished_at   TEXT COLLATE "C"    NOT NULL DEFAULT ''
);
CREATE TRIGGER transfers_id BEFORE INSERT ON transfers FOR EACH ROW EXECUTE FUNCTION tuanwu_id_transfers();
CREATE INDEX transfers_member ON transfers(id_no);
CREATE INDEX transfers_state ON transfers(state);
CREATE INDEX transfers_from ON transfers(from_org);
CREATE INDEX transfers_to ON transfers(to_org);

CREATE FUNCTION tuanwu_id_transfer_steps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM transfer_steps;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE transfer_steps (
    id          BIGINT  PRIMARY KEY,
    transfer_id BIGINT  NOT NULL REFERENCES transfers(id) DEFERRABLE,
    seq         INTEGER NOT NULL,
    kind        TEXT COLLATE "C"    NOT NULL,
    org_id      BIGINT  NOT NULL REFERENCES orgs(id) DEFERRABLE,
    opened_at   TEXT COLLATE "C"    NOT NULL DEFAULT '',
    due_at      TEXT COLLATE "C"    NOT NULL DEFAULT '',
    reminded_at TEXT COLLATE "C"    NOT NULL DEFAULT '',
    acted_at    TEXT COLLATE "C"    NOT NULL DEFAULT '',
    outcome     TEXT COLLATE "C"    NOT NULL DEFAULT '',
    actor       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    note        TEXT COLLATE "C"    NOT NULL DEFAULT '',
    UNIQUE (transfer_id, seq)
);
CREATE TRIGGER transfer_steps_id BEFORE INSERT ON transfer_steps FOR EACH ROW EXECUTE FUNCTION tuanwu_id_transfer_steps();
CREATE INDEX transfer_steps_open ON transfer_steps(org_id) WHERE opened_at <> '' AND acted_at = '';
CREATE INDEX transfer_steps_due ON transfer_steps(due_at) WHERE opened_at <> '' AND acted_at = '';

CREATE FUNCTION tuanwu_id_letters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM letters;
    END IF;
    RETURN NEW;
END $$;

CREATE TABLE letters (
    id          BIGINT  PRIMARY KEY,
    issuer_org  BIGINT  NOT NULL REFERENCES orgs(id) DEFERRABLE,
    no          INTEGER NOT NULL,
    recipient   TEXT COLLATE "C"    NOT NULL,
    names       TEXT COLLATE "C"    NOT NULL,
    dues        TEXT COLLATE "C"    NOT NULL,
    date        TEXT COLLATE "C"    NOT NULL,
    valid_days  INTEGER NOT NULL,
    voided_at   TEXT COLLATE "C"    NOT NULL DEFAULT '',
    void_reason TEXT COLLATE "C"    NOT NULL DEFAULT '',
    created_by  TEXT COLLATE "C"    NOT NULL,
    created_at  TEXT COLLATE "C"    NOT NULL,
    UNIQUE (issuer_org, no)
);
CREATE TRIGGER letters_id BEFORE INSERT ON letters FOR EACH ROW EXECUTE FUNCTION tuanwu_id_letters();
CREATE TABLE letter_transfers (
    letter_id   BIGINT NOT NULL REFERENCES letters(id) DEFERRABLE,
    transfer_id BIGINT NOT NULL REFERENCES transfers(id) DEFERRABLE,
    PRIMARY KEY (letter_id, transfer_id)
);
