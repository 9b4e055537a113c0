package data

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The store's SQL is written once, in SQLite's dialect; on PostgreSQL the
// driver (pgdriver.go) rewrites each statement with pgRewrite before it
// runs, so that the data code (and its tests) serve both stores unchanged.
// The rewriting is small and mechanical: placeholders, a few functions with
// other names, SQLite's unary + (which only turns an index off), aliases
// PostgreSQL 15 requires on subqueries, the JSON list of IDs, date
// arithmetic, temporary tables, and RETURNING id where SQLite would give
// LastInsertId. Every statement the store runs is exercised on PostgreSQL by
// the shared test suite (pg_test.go), which is what proves the rewriting.

// pgQuery is a rewritten statement.
type pgQuery struct {
	sql       string
	limits    []int // 0-based indexes of the parameters that are LIMIT counts (SQLite: negative = none)
	returning bool  // RETURNING id was added: the driver reports the last id
}

var pgCache sync.Map // SQLite text → *pgQuery

// pgRewrite returns q in PostgreSQL's dialect.
func pgRewrite(q string) *pgQuery {
	if v, ok := pgCache.Load(q); ok {
		return v.(*pgQuery)
	}
	r := rewrite(q)
	pgCache.Store(q, r)
	return r
}

// pgPhrases are exact phrases of the store's SQL and what they become.
var pgPhrases = []struct{ from, to string }{
	// ID lists travel as one JSON array (grad.go idList, audit.go sealAudit).
	{"SELECT value ->> 0, value ->> 1 FROM json_each(?)", "SELECT CAST(value ->> 0 AS BIGINT), value ->> 1 FROM json_array_elements(CAST(? AS json)) AS j(value)"},
	{"SELECT value FROM json_each(?)", "SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(? AS json)) AS j(value)"},
	// The audit chain's hashes, cut from one parameter: bytes, not
	// characters (cutting UTF-8 text by position walks it from the start).
	{"CAST(substr(?3, i * 64 + 1, 64) AS TEXT)", "convert_from(substr(CAST(?3 AS bytea), i * 64 + 1, 64), 'UTF8')"},
	// The sweep's temporary table of organization names (FULL is a keyword).
	{"full TEXT NOT NULL", `"full" TEXT NOT NULL`},
	{"(id, full)", `(id, "full")`},
	// app.MaskID's test for 17 digits (transfers.go maskSQL).
	{"NOT GLOB '*[^0-9]*'", "!~ '[^0-9]'"},
	// The audit trail's tables and triggers (audit.go verifyAuditTx).
	{"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?"},
}

var (
	reBlobLen   = regexp.MustCompile(`length\(CAST\(([^()]*) AS BLOB\)\)`)
	reDatePlus  = regexp.MustCompile(`\bdate\(((?:[^(),]|\([^()]*\))+), '\+(\d+) (days?|months?)'\)`)
	reParamLen  = regexp.MustCompile(`length\((\?\d*)\)`)
	reFuncs     = regexp.MustCompile(`\b(ifnull|instr|group_concat)\(`)
	reTemp      = regexp.MustCompile(`\btemp\.`)
	reUnaryPlus = regexp.MustCompile(`([\s(,=])\+([a-z_][a-z_0-9]*(?:\.[a-z_][a-z_0-9]*)?)`)
	reInsert    = regexp.MustCompile(`^\s*INSERT INTO (\w+) \(`)
	reTempTable = regexp.MustCompile(`(?s)CREATE TEMP TABLE`)
	reValues    = regexp.MustCompile(`\)\s*VALUES\s*\(`)
)

var pgFuncNames = map[string]string{"ifnull": "coalesce", "instr": "strpos", "group_concat": "string_agg"}

// idTables are the tables whose rows get their id from the store.
var idTables = map[string]bool{"orgs": true, "members": true, "cadres": true, "admins": true, "audit": true,
	"member_status": true, "member_history": true, "transfers": true, "transfer_steps": true, "letters": true}

// pgNative starts a statement written for PostgreSQL, which the driver
// runs as it is (migrations/pg).
const pgNative = "/* PostgreSQL */ "

func rewrite(q string) *pgQuery {
	out := &pgQuery{}
	if strings.HasPrefix(q, pgNative) {
		out.sql = q
		return out
	}
	if q == auditTriggerQuery {
		out.sql = pgAuditTriggerQuery()
		return out
	}
	for _, p := range pgPhrases {
		q = strings.ReplaceAll(q, p.from, p.to)
	}
	q = reBlobLen.ReplaceAllString(q, "octet_length(CAST($1 AS TEXT))")
	q = reDatePlus.ReplaceAllString(q, "to_char(CAST(NULLIF($1, '') AS date) + interval '$2 $3', 'YYYY-MM-DD')")
	q = reParamLen.ReplaceAllString(q, "length(CAST($1 AS TEXT))")
	if reTempTable.MatchString(q) {
		q = strings.ReplaceAll(q, "INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY")
		q = regexp.MustCompile(`\b(active|to_out)(\s+)INTEGER( NOT NULL DEFAULT 0)?`).ReplaceAllStringFunc(q, func(s string) string {
			s = strings.Replace(s, "INTEGER", "BOOLEAN", 1)
			return strings.Replace(s, "DEFAULT 0", "DEFAULT false", 1)
		})
		q = regexp.MustCompile(`\bTEXT\b`).ReplaceAllString(q, `TEXT COLLATE "C"`)
	}
	// Outside string literals: function names, temp., unary +, placeholders.
	var b strings.Builder
	next := 0 // the highest parameter number so far
	eachPart(q, func(code string, literal bool) {
		if literal {
			b.WriteString(code)
			return
		}
		code = reFuncs.ReplaceAllStringFunc(code, func(s string) string { return pgFuncNames[s[:len(s)-1]] + "(" })
		code = reTemp.ReplaceAllString(code, "pg_temp.")
		code = reUnaryPlus.ReplaceAllString(code, "$1$2")
		for i := 0; i < len(code); i++ {
			c := code[i]
			if c != '?' {
				b.WriteByte(c)
				continue
			}
			j := i + 1
			for j < len(code) && code[j] >= '0' && code[j] <= '9' {
				j++
			}
			n := next + 1
			if j > i+1 {
				n, _ = strconv.Atoi(code[i+1 : j])
			}
			if n > next {
				next = n
			}
			if strings.HasSuffix(strings.TrimRight(b.String(), " "), "LIMIT") {
				out.limits = append(out.limits, n-1)
			}
			b.WriteString("$" + strconv.Itoa(n))
			i = j - 1
		}
	})
	q = aliasSubqueries(b.String())
	if m := reInsert.FindStringSubmatch(q); m != nil && idTables[m[1]] && reValues.MatchString(q) {
		q += " RETURNING id"
		out.returning = true
	}
	out.sql = q
	return out
}

// eachPart calls fn with the parts of q outside and inside string literals
// ('…') and quoted identifiers ("…"), in order.
func eachPart(q string, fn func(part string, literal bool)) {
	start := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c != '\'' && c != '"' {
			continue
		}
		if i > start {
			fn(q[start:i], false)
		}
		j := i + 1
		for j < len(q) {
			if q[j] == c {
				if j+1 < len(q) && q[j+1] == c { // doubled quote inside
					j += 2
					continue
				}
				break
			}
			j++
		}
		end := min(j+1, len(q))
		fn(q[i:end], true)
		start, i = end, end-1
	}
	if start < len(q) {
		fn(q[start:], false)
	}
}

// aliasSubqueries gives every subquery in FROM or JOIN without an alias
// one (PostgreSQL before 16 requires it).
func aliasSubqueries(q string) string {
	var b strings.Builder
	n := 0
	i := 0
	for {
		k := indexDerived(q, i)
		if k < 0 {
			b.WriteString(q[i:])
			return b.String()
		}
		// k is the index of "(": find its match, skipping literals.
		depth, j := 0, k
		for ; j < len(q); j++ {
			switch q[j] {
			case '\'':
				for j++; j < len(q) && q[j] != '\''; j++ {
				}
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if j >= len(q) {
			b.WriteString(q[i:])
			return b.String()
		}
		// Recurse into the subquery itself.
		b.WriteString(q[i : k+1])
		b.WriteString(aliasSubqueries(q[k+1 : j]))
		b.WriteByte(')')
		rest := strings.TrimLeft(q[j+1:], " \t\n")
		word := rest
		if sp := strings.IndexAny(rest, " \t\n),;"); sp >= 0 {
			word = rest[:sp]
		}
		switch strings.ToUpper(word) {
		case "", "WHERE", "GROUP", "ORDER", "LIMIT", "UNION", "HAVING", "ON", "JOIN", "LEFT", "INNER", "CROSS", "OFFSET":
			n++
			b.WriteString(" AS sub" + strconv.Itoa(n))
		}
		i = j + 1
	}
}

var reDerived = regexp.MustCompile(`\b(FROM|JOIN)\s*\(\s*(SELECT|WITH)\b`)

// indexDerived returns the index of the "(" of the next derived table at or after i, -1 for none.
func indexDerived(q string, i int) int {
	loc := reDerived.FindStringIndex(q[i:])
	if loc == nil {
		return -1
	}
	return i + strings.IndexByte(q[i+loc[0]:], '(') + loc[0]
}

// auditTriggerQuery is verifyAuditTx's question for the audit triggers' text.
const auditTriggerQuery = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit', 'audit_chain')"

var pgTriggerQuery = sync.OnceValue(func() string {
	want, err := auditTriggers()
	if err != nil {
		return "SELECT '', '' WHERE false"
	}
	// Each trigger answers with the text SQLite keeps when it is exactly as
	// migration pg/0005 made it (enabled, before the row's update or
	// delete, calling the unchanged append-only function); otherwise with
	// its actual definition, which check then reports as changed.
	types := map[string]int{"audit_no_update": 19, "audit_no_delete": 11, "audit_chain_no_update": 19, "audit_chain_no_delete": 11}
	tables := map[string]string{"audit_no_update": "audit", "audit_no_delete": "audit", "audit_chain_no_update": "audit_chain", "audit_chain_no_delete": "audit_chain"}
	var vals []string
	for name, text := range want {
		vals = append(vals, "('"+name+"', '"+tables[name]+"', "+strconv.Itoa(types[name])+", '"+strings.ReplaceAll(text, "'", "''")+"')")
	}
	return `SELECT t.tgname, CASE WHEN t.tgenabled = 'O' AND t.tgtype = e.tgtype AND c.relname = e.tbl
			AND p.proname = 'tuanwu_append_only' AND md5(p.prosrc) = '` + pgAppendOnlyMD5() + `' THEN e.sqltext ELSE pg_get_triggerdef(t.oid) END
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
			LEFT JOIN (VALUES ` + strings.Join(vals, ", ") + `) e(name, tbl, tgtype, sqltext) ON e.name = t.tgname
		WHERE c.relnamespace = CAST(current_schema() AS regnamespace) AND c.relname IN ('audit', 'audit_chain') AND NOT t.tgisinternal
			AND t.tgtype & 4 = 0`
})

func pgAuditTriggerQuery() string { return pgTriggerQuery() }
