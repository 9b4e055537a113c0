package data

import (
	"context"
	"database/sql"
	"time"
	"tuanwu/data/pgtest"
)

// SealAudit chains the unsealed audit entries after the last sealed one, as
// a write transaction does before it commits: for test stores whose entries
// are inserted in plain SQL.
func SealAudit(ctx context.Context, tx *sql.Tx) error {
	var base int64
	if err := tx.QueryRowContext(ctx, "SELECT ifnull(max(id), 0) FROM audit_chain").Scan(&base); err != nil {
		return err
	}
	return sealAudit(ctx, tx, base, nil)
}

// TimeWrites has f told how long each write transaction of this process
// holds the write lock (nil: no more).
func TimeWrites(f func(time.Duration)) { writeTimer = f }

// OnPG reports whether the tests run on PostgreSQL (the second run, pg_test.go).
func OnPG() bool { return pgtest.OnPG() }
