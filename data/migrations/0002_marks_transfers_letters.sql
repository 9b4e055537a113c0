-- 0002: member marks and status history (R-D1..R-D3, R-X4, R-E1), graduation
-- marks (R-G1..R-G6), organization-relation transfers (R-T1..R-T7) and
-- numbered introduction letters (R-L1, R-L2).

ALTER TABLE members ADD COLUMN mark        TEXT NOT NULL DEFAULT ''; -- '' | 教师 | 延迟毕业团员
ALTER TABLE members ADD COLUMN mark_month  TEXT NOT NULL DEFAULT ''; -- expected graduation month of a delayed graduate
ALTER TABLE members ADD COLUMN mark_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN error_kind  TEXT NOT NULL DEFAULT ''; -- R-E1: '' | 身份证信息录入错误 | 姓名录入错误

-- Every status change of a member (超龄离团, 自愿退团, 开除团籍, 恢复团籍), never deleted.
CREATE TABLE member_status (
    id      INTEGER PRIMARY KEY,
    id_no   TEXT NOT NULL,
    status  TEXT NOT NULL,
    date    TEXT NOT NULL,
    reason  TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX member_status_id_no ON member_status(id_no);

-- Members removed from the roster after a confirmed deletion (R-E1), kept whole.
CREATE TABLE member_history (
    id      INTEGER PRIMARY KEY,
    id_no   TEXT NOT NULL,
    name    TEXT NOT NULL,
    org     TEXT NOT NULL,
    record  TEXT NOT NULL, -- the member row as JSON
    reason  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX member_history_id_no ON member_history(id_no);

CREATE INDEX orgs_grad ON orgs(grad_month);
-- Newly developed members (R-M3), for the overdue-entry notice.
CREATE INDEX members_developed ON members(org_id) WHERE developed_on <> '';

CREATE TABLE transfers (
    id            INTEGER PRIMARY KEY, -- the transfer number
    id_no         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    from_org      INTEGER NOT NULL REFERENCES orgs(id),
    to_org        INTEGER REFERENCES orgs(id), -- NULL: 转往特殊单位团组织 before approval, or 留校保留
    reason        TEXT    NOT NULL,
    scope         TEXT    NOT NULL DEFAULT '否',
    unit          TEXT    NOT NULL DEFAULT '',
    address       TEXT    NOT NULL DEFAULT '',
    remark        TEXT    NOT NULL DEFAULT '',
    keep_until    TEXT    NOT NULL DEFAULT '', -- 未就业 kept at school: until this date (≤ 6 months)
    abroad_place  TEXT    NOT NULL DEFAULT '',
    abroad_period TEXT    NOT NULL DEFAULT '',
    contact       TEXT    NOT NULL DEFAULT '',
    contact_phone TEXT    NOT NULL DEFAULT '',
    initiator     TEXT    NOT NULL, -- 转出组织 | 转入组织 | 团员本人
    started_by    TEXT    NOT NULL,
    state         TEXT    NOT NULL, -- 审批中 | 待分配团支部 | 已完成 | 已退回 | 留校保留
    reject_reason TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    finished_at   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX transfers_member ON transfers(id_no);
CREATE INDEX transfers_state ON transfers(state);
CREATE INDEX transfers_from ON transfers(from_org);
CREATE INDEX transfers_to ON transfers(to_org);

CREATE TABLE transfer_steps (
    id          INTEGER PRIMARY KEY,
    transfer_id INTEGER NOT NULL REFERENCES transfers(id),
    seq         INTEGER NOT NULL,
    kind        TEXT    NOT NULL, -- 转出审批 | 转入审批 | 省级审批 | 学校团委审批 | 分配团支部
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    opened_at   TEXT    NOT NULL DEFAULT '', -- '' until the step is reached
    due_at      TEXT    NOT NULL DEFAULT '',
    reminded_at TEXT    NOT NULL DEFAULT '',
    acted_at    TEXT    NOT NULL DEFAULT '',
    outcome     TEXT    NOT NULL DEFAULT '', -- 通过 | 退回 | 系统默认通过 | 已分配
    actor       TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    UNIQUE (transfer_id, seq)
);
-- The open steps, by the organization that must act and by deadline.
CREATE INDEX transfer_steps_open ON transfer_steps(org_id) WHERE opened_at <> '' AND acted_at = '';
CREATE INDEX transfer_steps_due ON transfer_steps(due_at) WHERE opened_at <> '' AND acted_at = '';

CREATE TABLE letters (
    id          INTEGER PRIMARY KEY,
    issuer_org  INTEGER NOT NULL REFERENCES orgs(id),
    no          INTEGER NOT NULL,
    recipient   TEXT    NOT NULL,
    names       TEXT    NOT NULL, -- joined by 、
    dues        TEXT    NOT NULL, -- YYYY-MM
    date        TEXT    NOT NULL,
    valid_days  INTEGER NOT NULL,
    voided_at   TEXT    NOT NULL DEFAULT '',
    void_reason TEXT    NOT NULL DEFAULT '',
    created_by  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    UNIQUE (issuer_org, no)
);
CREATE TABLE letter_transfers (
    letter_id   INTEGER NOT NULL REFERENCES letters(id),
    transfer_id INTEGER NOT NULL REFERENCES transfers(id),
    PRIMARY KEY (letter_id, transfer_id)
);
