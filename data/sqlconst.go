package data

import (
	"strings"

	"tuanwu/app"
)

// The app's values that the SQL names, written once in app and quoted here
// as SQL literals (not bound parameters: a literal lets SQLite's planner
// use the partial indexes written with it, e.g. members WHERE status = '在团').
var (
	sqlBranch   = sqlLit(app.KindBranch)   // '团支部'
	sqlNormal   = sqlLit(app.CatNormal)    // '普通'
	sqlGraduate = sqlLit(app.CatGraduate)  // '毕业生团组织'
	sqlActive   = sqlLit(app.StatusActive) // '在团'
)

// sqlLit quotes s as an SQL string literal.
func sqlLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
