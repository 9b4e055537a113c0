package data_test

import (
	"database/sql"
	"testing"

	"tuanwu/data/datatest"
	"tuanwu/data/pgtest"
)

// The 1M benchmarks on PostgreSQL (issue 14): the same use cases on the
// 1,000,000-member store moved up to the test server, and their bare twins
// with plain SQL through pgx on the same database. They run when
// TUANWU_TEST_PG names a server.

func bareServer(b *testing.B, loc string) *sql.DB {
	db, err := sql.Open("pgx", loc)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

var _ = pgtest.Env

func BenchmarkSearchMembers1M_PG(b *testing.B) { benchSearchMembers(b, datatest.StorePG1M(b)) }

func BenchmarkSearchMembers1M_PGBare(b *testing.B) {
	db := bareServer(b, datatest.StorePG1M(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := db.Query(`SELECT m.id, m.org_id, m.name, m.id_no, m.ethnicity, m.political, m.education, m.join_month, m.is_cadre,
			m.phone, m.weibo, m.qq, m.email, coalesce(m.member_no, ''), m.post, m.post_since, m.cadre_nature, m.party_committee,
			m.developed_on, m.status, m.created_at, m.updated_at, m.mark, m.mark_month, m.mark_reason, m.error_kind,
			m.left_at, m.left_to, m.left_from, m.left_path, m.left_transfer, m.incomplete, o.name
			FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.name >= $1 AND m.name < $2 AND m.status = '在团' ORDER BY m.name LIMIT 50`,
			"张", "张\U0010FFFF")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var id, org, cadre, party, leftTransfer, incomplete int64
			var s [28]string
			if err := rows.Scan(&id, &org, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5], &cadre, &s[6], &s[7], &s[8], &s[9], &s[10],
				&s[11], &s[12], &s[13], &party, &s[14], &s[15], &s[16], &s[17], &s[19], &s[20], &s[21], &s[22],
				&s[23], &s[24], &s[25], &s[26], &leftTransfer, &incomplete, &s[18]); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		if n != 50 {
			b.Fatalf("n=%d", n)
		}
	}
}

func BenchmarkOrgChildren1M_PG(b *testing.B) { benchOrgChildren(b, datatest.StorePG1M(b)) }

func BenchmarkOrgChildren1M_PGBare(b *testing.B) {
	loc := datatest.StorePG1M(b)
	benchOrgChildrenBare(b, loc, bareServer(b, loc), "$1")
}
