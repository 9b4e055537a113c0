package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// Read transactions on PostgreSQL cost one round trip to the server, not
// four (issue 14: a search through the store against its one plain query).
//
//   - BEGIN is not sent when the transaction begins: it goes with the
//     transaction's first statement, in one pipeline (pgx's batch). The
//     snapshot of REPEATABLE READ is taken at the first statement anyway,
//     so the transaction sees exactly what it saw before.
//   - The change mark (changeMarkSQL, the name cache's key) is read in the
//     same pipeline when the store asks for it (withChangeMark); later
//     reads of it in the transaction, which would see the same snapshot,
//     are answered without asking the server.
//   - The ROLLBACK that ends it is not sent at once: it goes first in the
//     connection's next pipeline when the desk reads again at once (a
//     window opening reads several things in a row), or alone after
//     owedFor when the connection stays unused. Until then the server
//     keeps the finished read's snapshot and its shared table locks, which
//     block nothing but a schema change, for at most owedFor.
//
// A transaction that sends nothing sends neither BEGIN nor ROLLBACK.

// changeMarkSQL reads the store's change mark: the newest audit entry.
// Every write appends one (and writes take the write lock in turn).
const changeMarkSQL = "SELECT ifnull(max(id), 0) FROM audit"

type changeMarkKey struct{}

// withChangeMark asks that a read transaction begun with ctx reads the
// change mark with its first statement.
func withChangeMark(ctx context.Context) context.Context {
	return context.WithValue(ctx, changeMarkKey{}, true)
}

// owedFor is how long a finished read's ROLLBACK may wait for the
// connection's next statement; endTimeout bounds the wait for its answer
// when it is sent alone.
const (
	owedFor    = 20 * time.Millisecond
	endTimeout = 30 * time.Second
)

// readState is a connection's read transaction, for the pipelining above.
type readState struct {
	begin    string // the BEGIN not yet sent ("" once sent, or outside a read)
	wantMark bool   // read the change mark with it
	mark     int64  // the change mark this transaction sees
	markOK   bool
	owed     bool        // a read ended here, its ROLLBACK not yet sent
	timer    *time.Timer // sends an owed ROLLBACK when the connection stays unused
}

// lazyBegin returns the BEGIN for a read-only transaction with opts, or
// false when it is begun the ordinary way.
func lazyBegin(opts driver.TxOptions) (string, bool) {
	if !opts.ReadOnly {
		return "", false
	}
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault:
		return "begin read only", true
	case sql.LevelReadCommitted:
		return "begin isolation level read committed read only", true
	case sql.LevelRepeatableRead, sql.LevelSnapshot:
		return "begin isolation level repeatable read read only", true
	case sql.LevelSerializable:
		return "begin isolation level serializable read only", true
	}
	return "", false
}

// readTx ends a read transaction begun lazily.
type readTx struct{ p *pgConn }

func (t readTx) Commit() error   { return t.p.endRead() }
func (t readTx) Rollback() error { return t.p.endRead() }

// endRead ends the read transaction: nothing to send when it sent nothing,
// else a ROLLBACK (a read-only transaction has nothing to commit), owed.
func (p *pgConn) endRead() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rs.markOK = false
	if p.rs.begin != "" {
		p.rs.begin = ""
		return nil
	}
	p.rs.owed = true
	if p.rs.timer == nil {
		p.rs.timer = time.AfterFunc(owedFor, p.sendOwed)
	} else {
		p.rs.timer.Reset(owedFor)
	}
	return nil
}

// sendOwed sends an owed ROLLBACK of a connection left unused.
func (p *pgConn) sendOwed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.settle(context.Background())
}

// settle sends an owed ROLLBACK and waits for its answer, before a
// statement that does not go in a read's pipeline. A connection that
// cannot give it is closed and reported bad, so that database/sql takes
// another one. p.mu is held.
func (p *pgConn) settle(ctx context.Context) error {
	if !p.rs.owed {
		return nil
	}
	p.rs.owed = false
	p.rs.timer.Stop()
	ctx, cancel := context.WithTimeout(ctx, endTimeout)
	defer cancel()
	if err := p.c.Conn().PgConn().Exec(ctx, "rollback").Close(); err != nil {
		p.c.Close()
		return driver.ErrBadConn
	}
	return nil
}

// markRows is the change mark as a one-row result.
func markRows(mark int64) driver.Rows {
	return &bufRows{cols: []string{"coalesce"}, rows: [][]driver.Value{{mark}}}
}

// sendBegin sends the pending BEGIN (and the change mark) with the first
// statement q of the transaction, when q is a query (rows is true), or
// alone. It returns q's result read whole.
//
// A connection the server dropped while it sat in the pool (the server
// restarted, or its administrator ended the connection) fails here, where
// an ordinary BEGIN would have failed before database/sql handed out the
// transaction: nothing of the read has reached the server, so the
// connection is replaced by a new one and the pipeline sent again.
func (p *pgConn) sendBegin(ctx context.Context, pq *pgQuery, args []driver.NamedValue, rows bool) (driver.Rows, error) {
	owed := p.rs.owed
	if owed { // the last read's end goes first
		p.rs.owed = false
		p.rs.timer.Stop()
	}
	begin := p.rs.begin
	p.rs.begin = ""
	var in []any
	if rows {
		vals := pq.args(args)
		in = make([]any, len(vals))
		for i, v := range vals {
			in[i] = v.Value
		}
	}
	out, err := p.sendFirst(ctx, begin, owed, pq, in, rows)
	if err != nil && ctx.Err() == nil && isConnError(err) && p.c.Conn().IsClosed() {
		if rerr := p.reconnect(ctx); rerr != nil {
			return nil, err
		}
		out, err = p.sendFirst(ctx, begin, false, pq, in, rows)
	}
	return out, err
}

// sendFirst sends one read's first pipeline and reads its results.
func (p *pgConn) sendFirst(ctx context.Context, begin string, owed bool, pq *pgQuery, args []any, rows bool) (driver.Rows, error) {
	var b pgx.Batch
	if owed {
		b.Queue("rollback")
	}
	b.Queue(begin)
	if p.rs.wantMark {
		b.Queue(pgRewrite(changeMarkSQL).sql)
	}
	if rows {
		b.Queue(pq.sql, args...)
	}
	br := p.c.Conn().SendBatch(ctx, &b)
	out, err := p.readBegin(br, owed, rows)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reconnect replaces the connection the server dropped with a new one.
func (p *pgConn) reconnect(ctx context.Context) error {
	cn, err := p.connect.Connect(ctx)
	if err != nil {
		return err
	}
	p.c.Close()
	p.c = cn.(*stdlib.Conn)
	return nil
}

func (p *pgConn) readBegin(br pgx.BatchResults, owed, rows bool) (driver.Rows, error) {
	if owed {
		if _, err := br.Exec(); err != nil {
			return nil, fmt.Errorf("end the last read: %w", err)
		}
	}
	if _, err := br.Exec(); err != nil {
		return nil, err
	}
	if p.rs.wantMark {
		if err := br.QueryRow().Scan(&p.rs.mark); err != nil {
			return nil, fmt.Errorf("change mark: %w", err)
		}
		p.rs.markOK = true
	}
	if !rows {
		return nil, nil
	}
	r, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return p.readAll(r)
}

// readAll reads a result whole, each value as pgx's database/sql driver
// gives it (stdlib's Rows.Next): booleans, integers as int64, floats as
// float64, byte strings, times, and anything else as its text. Text and
// integers, nearly all of the store's columns, are decoded here directly;
// the rows' values are allocated a few rows at a time.
func (p *pgConn) readAll(r pgx.Rows) (driver.Rows, error) {
	fds := r.FieldDescriptions()
	n := len(fds)
	conv := make([]func([]byte) (driver.Value, error), n)
	b := &bufRows{cols: make([]string, n)}
	m := p.c.Conn().TypeMap()
	for i, fd := range fds {
		b.cols[i] = fd.Name
		conv[i] = valueFunc(m, fd)
	}
	var slab []driver.Value
	for r.Next() {
		if len(slab) < n {
			slab = make([]driver.Value, n*64)
		}
		dest := slab[:n:n]
		slab = slab[n:]
		for i, raw := range r.RawValues() {
			if raw == nil {
				continue
			}
			v, err := conv[i](raw)
			if err != nil {
				return nil, fmt.Errorf("convert field %d: %w", i, err)
			}
			dest[i] = v
		}
		b.rows = append(b.rows, dest)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return b, nil
}

// valueFunc converts one column's raw values as stdlib does.
func valueFunc(m *pgtype.Map, fd pgconn.FieldDescription) func([]byte) (driver.Value, error) {
	oid, format := fd.DataTypeOID, fd.Format
	switch oid {
	case pgtype.TextOID, pgtype.VarcharOID:
		return func(src []byte) (driver.Value, error) { return string(src), nil }
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID:
		if format == pgtype.BinaryFormatCode {
			return binaryInt
		}
		return scanAs[int64](m, oid, format, func(d int64) driver.Value { return d })
	case pgtype.BoolOID:
		return scanAs[bool](m, oid, format, func(d bool) driver.Value { return d })
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		return scanAs[[]byte](m, oid, format, func(d []byte) driver.Value { return append([]byte(nil), d...) })
	case pgtype.Float4OID, pgtype.Float8OID:
		return scanAs[float64](m, oid, format, func(d float64) driver.Value { return d })
	case pgtype.DateOID, pgtype.TimestampOID, pgtype.TimestamptzOID:
		return scanAs[time.Time](m, oid, format, func(d time.Time) driver.Value { return d })
	}
	return scanAs[string](m, oid, format, func(d string) driver.Value { return d })
}

// binaryInt decodes a smallint, integer or bigint sent in binary.
func binaryInt(src []byte) (driver.Value, error) {
	switch len(src) {
	case 8:
		return int64(binary.BigEndian.Uint64(src)), nil
	case 4:
		return int64(int32(binary.BigEndian.Uint32(src))), nil
	case 2:
		return int64(int16(binary.BigEndian.Uint16(src))), nil
	}
	return nil, fmt.Errorf("an integer of %d bytes", len(src))
}

func scanAs[T any](m *pgtype.Map, oid uint32, format int16, out func(T) driver.Value) func([]byte) (driver.Value, error) {
	var d T
	plan := m.PlanScan(oid, format, &d)
	return func(src []byte) (driver.Value, error) {
		if err := plan.Scan(src, &d); err != nil {
			return nil, err
		}
		return out(d), nil
	}
}
