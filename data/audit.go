package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"tuanwu/app"
)

// The audit trail is a hash chain (issue 10, item 6): every entry's hash is
// SHA-256 over its content and the previous entry's hash, kept in
// audit_chain under the entry's id. Entries are inserted as before (by
// AppendAudit, or set-wise by the sweep) and sealed, in id order, by
// sealAudit before the write transaction that added them commits; both
// tables are append-only (migration 0005's triggers). An entry that was
// unsealed before a write transaction began was not written by this program
// (whose unsealed entries never outlive their transaction) and is left as it
// is, for check to name. The hashes go in a table of their own, appended in
// id order, because setting a column of 100,000 just-written rows costs
// about three times as much (their pages split).

const (
	auditChainMigration = "migrations/0005_audit_chain.sql"
	auditHeadKey        = "audit_head" // "<id> <hash>" of the last sealed entry
	auditChunk          = 20000        // entries read at once
)

// auditFields are the columns an entry's hash covers, in order.
var auditFields = []string{"id", "at", "actor", "action", "object", "org_id", "member", "before", "after"}

// recordSQL is the SQL of an entry's record: each field of auditFields as
// stored (numbers in decimal) written <byte length>:<bytes>, so that records
// are unambiguous and many of them travel in one string.
var recordSQL = func() string {
	parts := make([]string, len(auditFields))
	for i, f := range auditFields {
		parts[i] = "length(CAST(a." + f + " AS BLOB)) || ':' || a." + f
	}
	return strings.Join(parts, " || ")
}()

// chainHash returns the hash of an entry's record chained to prev:
// SHA-256, hex, over a version tag, prev and the record.
func chainHash(prev, record string) string {
	buf := make([]byte, 0, len(chainTag)+len(prev)+1+len(record))
	return chainHashBuf(buf, prev, record)
}

const chainTag = "tuanwu audit chain v1\n"

// chainHashBuf is chainHash using buf's room (for a loop over many).
func chainHashBuf[R string | []byte](buf []byte, prev string, record R) string {
	buf = append(append(append(append(buf[:0], chainTag...), prev...), '\n'), record...)
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// field splits one <byte length>:<bytes> field off s.
func field(s string) (value, rest string, ok bool) {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return "", "", false
	}
	n, err := strconv.Atoi(s[:colon])
	if err != nil || n < 0 || colon+1+n > len(s) {
		return "", "", false
	}
	return s[colon+1 : colon+1+n], s[colon+1+n:], true
}

// eachRecord calls fn with every entry above after and at most upto
// (math.MaxInt64: all), in id order: its id, its record and, when withHash, its hash
// in audit_chain ("" when it has none). The entries are read auditChunk at
// a time, each chunk as one string built by SQLite: reading them row by row
// costs several times as much.
func eachRecord(ctx context.Context, tx *sql.Tx, after, upto int64, withHash bool, fn func(id int64, record, hash string) error) error {
	row, from := recordSQL, "audit a"
	if withHash {
		row += " || length(ifnull(c.hash, '')) || ':' || ifnull(c.hash, '')"
		from += " LEFT JOIN audit_chain c ON c.id = a.id"
	}
	// The chunk's rows come in id order from the subquery, which the
	// aggregate keeps without sorting them again (a third of the cost);
	// should a database not keep it, the chunk is read again sorted.
	q := "SELECT count(*), ifnull(max(id), 0), ifnull(group_concat(r, ''%s), '') FROM (SELECT a.id AS id, " + row +
		" AS r FROM " + from + " WHERE a.id > ? AND a.id <= ? ORDER BY a.id LIMIT " + strconv.Itoa(auditChunk) + ")"
	fast, sorted := fmt.Sprintf(q, ""), fmt.Sprintf(q, " ORDER BY id")
	var chunk []chunkRecord
	for {
		var n int
		var last int64
		var all string
		if err := tx.QueryRowContext(ctx, fast, after, upto).Scan(&n, &last, &all); err != nil {
			return err
		}
		var inOrder bool
		var err error
		if chunk, inOrder, err = splitRecords(chunk[:0], all, after, withHash); err == nil && !inOrder {
			if err = tx.QueryRowContext(ctx, sorted, after, upto).Scan(&n, &last, &all); err == nil {
				chunk, _, err = splitRecords(chunk[:0], all, after, withHash)
			}
		}
		if err != nil {
			return err
		}
		for _, r := range chunk {
			if err := fn(r.id, r.record, r.hash); err != nil {
				return err
			}
		}
		if len(chunk) != n {
			return fmt.Errorf("%d of %d audit entries could be read: a column holds NULL", len(chunk), n)
		}
		if n < auditChunk {
			return nil
		}
		after = last
	}
}

// chunkRecord is one entry of a chunk eachRecord reads.
type chunkRecord struct {
	id           int64
	record, hash string
}

// splitRecords appends the entries of all, a chunk's records one after the
// other, to out, and reports whether their ids rise from above after.
func splitRecords(out []chunkRecord, all string, after int64, withHash bool) ([]chunkRecord, bool, error) {
	inOrder := true
	for rest := all; rest != ""; {
		start := rest
		var id string
		var ok bool
		for i := range auditFields {
			var v string
			if v, rest, ok = field(rest); !ok {
				return nil, false, errors.New("an audit entry cannot be read: its columns were changed")
			}
			if i == 0 {
				id = v
			}
		}
		r := chunkRecord{record: start[:len(start)-len(rest)]}
		if withHash {
			if r.hash, rest, ok = field(rest); !ok {
				return nil, false, errors.New("an audit entry's hash cannot be read")
			}
		}
		var err error
		if r.id, err = strconv.ParseInt(id, 10, 64); err != nil {
			return nil, false, fmt.Errorf("audit entry id %q: %w", id, err)
		}
		inOrder = inOrder && r.id > after
		after = r.id
		out = append(out, r)
	}
	return out, inOrder, nil
}

// knownRecords are the records of audit entries that a write transaction
// added through AppendAudit(s), with consecutive ids from first on, built
// in Go from the values it bound exactly as recordSQL builds them from the
// stored row: sealing chains them without reading them back, which costs
// more than writing them.
type knownRecords struct {
	first int64
	buf   []byte // the records, one after the other
	ends  []int  // where each record ends in buf
}

func (k *knownRecords) next() int64 { return k.first + int64(len(k.ends)) }

// record returns the i-th record.
func (k *knownRecords) record(i int) []byte {
	start := 0
	if i > 0 {
		start = k.ends[i-1]
	}
	return k.buf[start:k.ends[i]]
}

// appendRecord appends the record of entry e stored under id, at being
// its time as stored, as recordSQL gives it: each field as <byte
// length>:<bytes>, numbers in decimal.
func appendRecord(buf []byte, id int64, at string, e *app.AuditEntry) []byte {
	num := func(buf []byte, n int64) []byte {
		var d [20]byte
		s := strconv.AppendInt(d[:0], n, 10)
		buf = strconv.AppendInt(buf, int64(len(s)), 10)
		return append(append(buf, ':'), s...)
	}
	text := func(buf []byte, s string) []byte {
		buf = strconv.AppendInt(buf, int64(len(s)), 10)
		return append(append(buf, ':'), s...)
	}
	buf = num(buf, id)
	buf = text(buf, at)
	buf = text(buf, e.Actor)
	buf = text(buf, e.Action)
	buf = text(buf, e.Object)
	buf = num(buf, e.OrgID)
	buf = text(buf, e.Member)
	buf = text(buf, e.Before)
	return text(buf, e.After)
}

// recordRoom is at least the length of e's record.
func recordRoom(e *app.AuditEntry) int {
	return 2*24 + 7*12 + len(timeLayout) + 12 + len(e.Actor) + len(e.Action) + len(e.Object) + len(e.Member) + len(e.Before) + len(e.After)
}

// plainEntry reports whether e's record is sure to read back as
// appendRecord builds it: no field holds a NUL byte (which SQLite's text
// functions may cut).
func plainEntry(e *app.AuditEntry) bool {
	for _, s := range [...]string{e.Actor, e.Action, e.Object, e.Member, e.Before, e.After} {
		if strings.IndexByte(s, 0) >= 0 {
			return false
		}
	}
	return true
}

// wrote notes the records of list, just stored with ids last-len(list)+1
// to last, for sealing. Entries with a NUL byte are left to be read back.
func (t *txn) wrote(list []app.AuditEntry, last int64) {
	for i := range list {
		if !plainEntry(&list[i]) {
			return
		}
	}
	first := last - int64(len(list)) + 1
	var k *knownRecords
	if n := len(t.known); n > 0 && t.known[n-1].next() == first {
		k = &t.known[n-1]
	} else {
		t.known = append(t.known, knownRecords{first: first})
		k = &t.known[len(t.known)-1]
	}
	room := 0
	for i := range list {
		room += recordRoom(&list[i])
	}
	// A bulk write comes a chunk at a time: the room at least doubles, so
	// that the records are not copied again for every chunk.
	if need := len(k.buf) + room; need > cap(k.buf) {
		buf := make([]byte, len(k.buf), max(need, 2*cap(k.buf)))
		copy(buf, k.buf)
		k.buf = buf
	}
	if need := len(k.ends) + len(list); need > cap(k.ends) {
		ends := make([]int, len(k.ends), max(need, 2*cap(k.ends)))
		copy(ends, k.ends)
		k.ends = ends
	}
	var at timeText
	for i := range list {
		k.buf = appendRecord(k.buf, first+int64(i), at.of(list[i].At), &list[i])
		k.ends = append(k.ends, len(k.buf))
	}
}

// auditBase returns the highest audit id as a write transaction begins:
// what the transaction adds lies above it.
func auditBase(ctx context.Context, tx *sql.Tx) (int64, error) {
	var base int64
	if err := tx.QueryRowContext(ctx, changeMarkSQL).Scan(&base); err != nil {
		return 0, auditBroken(err)
	}
	return base, nil
}

// auditBroken is the refusal of a write when the audit trail cannot be
// written: a change that leaves no record is not saved.
func auditBroken(err error) error {
	return app.Wrap(app.EStore, err, "存储文件的操作日志无法写入（操作日志表可能被删除或改动过），为保证每次修改都有记录，这次修改没有保存。请运行 check 检查，并从备份恢复。")
}

// sealAudit chains the entries above base, in id order, and records the
// chain's head: their hashes go into audit_chain in one statement. The
// entries of known (in id order, above base) are chained from their
// records in Go, the others as read from the table; the last record of
// each known run is compared with the stored row first, and if they differ
// every entry is read from the table.
func sealAudit(ctx context.Context, tx *sql.Tx, base int64, known []knownRecords) error {
	var (
		hashes  []byte // the hashes, hex, one after the other
		ids     []int64
		buf     = make([]byte, 0, 1024)
		prev    string
		lastID  = base
		gapless = true // the ids follow one another (the usual case)
	)
	if err := tx.QueryRowContext(ctx, "SELECT hash FROM audit_chain WHERE id <= ? ORDER BY id DESC LIMIT 1", base).Scan(&prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return auditBroken(fmt.Errorf("seal audit: %w", err))
	}
	add := func(id int64, record string) error {
		if len(ids) > 0 && id != lastID+1 {
			gapless = false
		}
		prev, lastID = chainHashBuf(buf, prev, record), id
		hashes = append(hashes, prev...)
		ids = append(ids, id)
		return nil
	}
	usable, err := checkKnown(ctx, tx, base, known)
	if err != nil {
		return auditBroken(fmt.Errorf("seal audit: %w", err))
	}
	if !usable {
		known = nil
	}
	for _, k := range known {
		// Entries stored in plain SQL before this run are read.
		if k.first-1 > lastID {
			if err := eachRecord(ctx, tx, lastID, k.first-1, false, func(id int64, record, _ string) error { return add(id, record) }); err != nil {
				return auditBroken(fmt.Errorf("seal audit: %w", err))
			}
		}
		if k.n() > 0 {
			hashes = slices.Grow(hashes, k.n()*2*sha256.Size)
			ids = slices.Grow(ids, k.n())
		}
		for i := range k.ends {
			if len(ids) > 0 && k.first+int64(i) != lastID+1 {
				gapless = false
			}
			prev, lastID = chainHashBuf(buf, prev, k.record(i)), k.first+int64(i)
			hashes = append(hashes, prev...)
			ids = append(ids, lastID)
		}
	}
	if err := eachRecord(ctx, tx, lastID, math.MaxInt64, false, func(id int64, record, _ string) error { return add(id, record) }); err != nil {
		return auditBroken(fmt.Errorf("seal audit: %w", err))
	}
	return writeChain(ctx, tx, ids, hashes, gapless, prev)
}

// writeChain stores the hashes of the entries ids (hex, one after the
// other in hashes) and the new head of the chain, prev being the last.
func writeChain(ctx context.Context, tx *sql.Tx, ids []int64, hashes []byte, gapless bool, prev string) (err error) {
	if len(ids) == 0 {
		return nil
	}
	lastID := ids[len(ids)-1]
	// One statement for all: the hashes go in as one blob, cut in SQL.
	const h = 2 * sha256.Size
	if gapless {
		_, err = tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
			INSERT INTO audit_chain (id, hash) SELECT ?1 + i, CAST(substr(?3, i * `+strconv.Itoa(h)+` + 1, `+strconv.Itoa(h)+`) AS TEXT) FROM n`,
			ids[0], len(ids), hashes)
	} else {
		var pairs strings.Builder // [[id,"hash"],...]
		pairs.WriteByte('[')
		for i, id := range ids {
			if i > 0 {
				pairs.WriteByte(',')
			}
			pairs.WriteString("[" + strconv.FormatInt(id, 10) + ",\"" + string(hashes[i*h:(i+1)*h]) + "\"]")
		}
		pairs.WriteByte(']')
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_chain (id, hash) SELECT value ->> 0, value ->> 1 FROM json_each(?)`, pairs.String())
	}
	if err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		auditHeadKey, strconv.FormatInt(lastID, 10)+" "+prev); err != nil {
		return fmt.Errorf("seal audit: %w", err)
	}
	return nil
}

func (k *knownRecords) n() int { return len(k.ends) }

// checkKnown reports whether the known runs can be chained as they are:
// they lie above base in id order, and the last record of each is the
// stored row's record.
func checkKnown(ctx context.Context, tx *sql.Tx, base int64, known []knownRecords) (bool, error) {
	after := base
	for i := range known {
		k := &known[i]
		if k.n() == 0 {
			continue
		}
		if k.first <= after {
			return false, nil
		}
		last := k.next() - 1
		var stored string
		err := tx.QueryRowContext(ctx, "SELECT "+recordSQL+" FROM audit a WHERE a.id = ?", last).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if stored != string(k.record(k.n()-1)) {
			return false, nil
		}
		after = last
	}
	return true, nil
}

// postMigration runs, in a migration's transaction, what its SQL cannot do.
var postMigration = map[string]func(ctx context.Context, tx *sql.Tx) error{
	// The entries written before the chain existed are chained now, in id order.
	auditChainMigration: func(ctx context.Context, tx *sql.Tx) error { return sealAudit(ctx, tx, 0, nil) },
}

var triggerPattern = regexp.MustCompile(`(?s)CREATE TRIGGER (\w+) .*?\nEND`)
