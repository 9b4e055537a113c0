package data

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"sync"

	"github.com/jackc/pgx/v5/stdlib"
)

// pgConnector opens connections of pgx's database/sql driver (stdlib)
// wrapped so that the store's SQLite-dialect statements run on PostgreSQL:
// each statement is rewritten (pgdialect.go), booleans are bound as 0/1
// (the schema keeps SQLite's integer flags), a negative LIMIT means none,
// and an INSERT's LastInsertId comes from RETURNING id. The same *sql.Tx
// code then serves both stores.
type pgConnector struct{ inner driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{c: cn.(*stdlib.Conn), connect: c.inner}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

type pgConn struct {
	c       *stdlib.Conn
	connect driver.Connector // for a new connection in place of one the server dropped (pgread.go)
	mu      sync.Mutex       // against the timer that ends a read (pgread.go)
	rs      readState        // a read transaction's pipelining (pgread.go)
}

var (
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
	_ driver.Validator          = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
)

func (p *pgConn) Prepare(q string) (driver.Stmt, error) {
	return p.PrepareContext(context.Background(), q)
}

// PrepareContext prepares nothing on the server: pgx keeps a per-connection
// cache of prepared statements by their text.
func (p *pgConn) PrepareContext(_ context.Context, q string) (driver.Stmt, error) {
	return &pgStmt{p: p, q: q}, nil
}

// Close closes the connection; the server rolls back an owed ROLLBACK's
// transaction itself.
func (p *pgConn) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rs.owed {
		p.rs.owed = false
		p.rs.timer.Stop()
	}
	return p.c.Close()
}

func (p *pgConn) Begin() (driver.Tx, error) { //nolint:staticcheck // required by driver.Conn
	return p.BeginTx(context.Background(), driver.TxOptions{})
}

func (p *pgConn) Ping(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.settle(ctx); err != nil {
		return err
	}
	return p.c.Ping(ctx)
}

func (p *pgConn) IsValid() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.c.Conn().IsClosed()
}

func (p *pgConn) CheckNamedValue(*driver.NamedValue) error { return nil }

// ResetSession checks a connection taken from the pool. One that owes a
// read's ROLLBACK was used less than owedFor ago: it is only checked for
// being open (the ROLLBACK goes with its next statement).
func (p *pgConn) ResetSession(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rs.owed {
		if p.c.Conn().IsClosed() {
			return driver.ErrBadConn
		}
		return nil
	}
	return p.c.ResetSession(ctx)
}

// BeginTx begins a transaction. A connection the server has dropped (it
// was stopped or restarted while the connection sat idle in the pool) fails
// at its first BEGIN, which changes nothing: that is reported as
// driver.ErrBadConn, so that database/sql throws the connection away and
// begins on another or a new one, and the store works again after the
// server comes back without being reopened (issue 14).
//
// A read-only transaction sends its BEGIN with its first statement
// (pgread.go).
func (p *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rs.markOK = false
	if begin, ok := lazyBegin(opts); ok {
		if p.c.Conn().IsClosed() {
			return nil, driver.ErrBadConn
		}
		p.rs.begin, p.rs.wantMark = begin, ctx.Value(changeMarkKey{}) != nil
		return readTx{p}, nil
	}
	if err := p.settle(ctx); err != nil {
		return nil, err
	}
	tx, err := p.c.BeginTx(ctx, opts)
	if err != nil && ctx.Err() == nil && isConnError(err) {
		p.c.Close()
		return nil, driver.ErrBadConn
	}
	return tx, err
}

// args binds booleans as 0/1 and a negative LIMIT as NULL (no limit).
func (q *pgQuery) args(in []driver.NamedValue) []driver.NamedValue {
	out := make([]driver.NamedValue, len(in))
	copy(out, in)
	for i := range out {
		if b, ok := out[i].Value.(bool); ok {
			out[i].Value = int64(0)
			if b {
				out[i].Value = int64(1)
			}
		}
	}
	for _, i := range q.limits {
		if i < len(out) {
			switch v := out[i].Value.(type) {
			case int64:
				if v < 0 {
					out[i].Value = nil
				}
			case int:
				if v < 0 {
					out[i].Value = nil
				}
			}
		}
	}
	return out
}

func (p *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pq := pgRewrite(q)
	if p.rs.begin != "" {
		if _, err := p.sendBegin(ctx, pq, args, false); err != nil {
			return nil, err
		}
	} else if err := p.settle(ctx); err != nil {
		return nil, err
	}
	if !pq.returning {
		return p.c.ExecContext(ctx, pq.sql, pq.args(args))
	}
	rows, err := p.c.QueryContext(ctx, pq.sql, pq.args(args))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var res pgResult
	dest := make([]driver.Value, 1)
	for {
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		res.n++
		if id, ok := dest[0].(int64); ok && id > res.last {
			res.last = id
		}
	}
	return res, nil
}

// QueryContext reads the whole result before returning it: the store's
// code, written for SQLite, runs queries while it walks the rows of
// another in the same transaction, which one PostgreSQL connection cannot
// do while a result is still arriving.
func (p *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rs.markOK && q == changeMarkSQL {
		return markRows(p.rs.mark), nil // the transaction's snapshot: read with its BEGIN
	}
	pq := pgRewrite(q)
	if p.rs.begin != "" {
		if p.rs.wantMark && q == changeMarkSQL {
			if _, err := p.sendBegin(ctx, pq, args, false); err != nil {
				return nil, err
			}
			return markRows(p.rs.mark), nil
		}
		return p.sendBegin(ctx, pq, args, true)
	}
	if err := p.settle(ctx); err != nil {
		return nil, err
	}
	rows, err := p.c.QueryContext(ctx, pq.sql, pq.args(args))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	b := &bufRows{cols: rows.Columns()}
	for {
		dest := make([]driver.Value, len(b.cols))
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		for i, v := range dest {
			if bs, ok := v.([]byte); ok {
				dest[i] = append([]byte(nil), bs...)
			}
		}
		b.rows = append(b.rows, dest)
	}
}

// bufRows is a result read whole.
type bufRows struct {
	cols []string
	rows [][]driver.Value
	i    int
}

func (b *bufRows) Columns() []string { return b.cols }
func (b *bufRows) Close() error      { b.rows = nil; return nil }

func (b *bufRows) Next(dest []driver.Value) error {
	if b.i >= len(b.rows) {
		return io.EOF
	}
	copy(dest, b.rows[b.i])
	b.rows[b.i] = nil
	b.i++
	return nil
}

// pgResult is an INSERT's result: the highest id it returned.
type pgResult struct{ last, n int64 }

func (r pgResult) LastInsertId() (int64, error) { return r.last, nil }
func (r pgResult) RowsAffected() (int64, error) { return r.n, nil }

type pgStmt struct {
	p *pgConn
	q string
}

func (s *pgStmt) Close() error  { return nil }
func (s *pgStmt) NumInput() int { return -1 }

func (s *pgStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *pgStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *pgStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.p.ExecContext(ctx, s.q, args)
}

func (s *pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.p.QueryContext(ctx, s.q, args)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}
