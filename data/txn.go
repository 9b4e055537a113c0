package data

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
	"tuanwu/app"
)

// txn implements app.Tx on one SQL transaction.
type txn struct {
	tx          *sql.Tx
	ctx         context.Context
	s           *Store
	stmts       map[string]*sql.Stmt
	db          *sql.DB           // the pool the transaction runs on
	cache       *sync.Map         // SQL text → *sql.Stmt prepared on db
	orgsChanged bool              // names or the tree changed: the name cache is emptied at the end
	outsideOrgs map[int64]bool    // whether an organization is outside, as read in this transaction (orgLabel)
	known       []knownRecords    // the records of the audit entries written by AppendAudit(s), for sealing
	rowsSQL     map[string]string // insertRows' statements by shape
	cursors     int               // server-side cursors open (eachRow, cursor.go)
	head        int64             // the change mark this transaction sees (the name cache's key)
	headKnown   bool              // head is read (a write knows it from the start)
}

func (t *txn) close() {
	for _, st := range t.stmts {
		st.Close()
	}
}

// stmt returns q prepared for this transaction. The statement is prepared
// once per store and connection and reused by later transactions.
func (t *txn) stmt(q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if t.cache != nil {
		shared, ok := t.cache.Load(q)
		if !ok {
			p, err := t.db.PrepareContext(t.ctx, q)
			if err != nil {
				return nil, fmt.Errorf("prepare: %w", err)
			}
			if shared, ok = t.cache.LoadOrStore(q, p); ok {
				p.Close()
			}
		}
		st = t.tx.StmtContext(t.ctx, shared.(*sql.Stmt))
	} else {
		var err error
		if st, err = t.tx.PrepareContext(t.ctx, q); err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = st
	return st, nil
}

func (t *txn) exec(q string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(t.ctx, q, args...)
	return res, mapErr(err)
}

const timeLayout = time.RFC3339

func fmtTime(tm time.Time) string {
	if tm.IsZero() {
		return ""
	}
	return tm.Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	tm, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return tm.In(app.Shanghai)
}
