package data_test

import (
	"context"
	"database/sql"
	"testing"

	"tuanwu/app"
	"tuanwu/data/datatest"
)

// The benchmarks run on one 1,000,000-member demo store; each Bare twin runs
// the plainest equivalent SQL on the same store, so the ratio is the figure.
// The bare queries use the same indexes (a prefix as a range, a subtree as a
// path range) so that the ratio measures the application's own overhead.

func bareDB(b *testing.B, path string) *sql.DB {
	db, err := sql.Open("sqlite3", path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkSearchMembers1M: the first 50 members whose name starts with 张,
// through the use case (with each member's organization path), on the
// 1,000,000-member store of which 300,000 have transferred out. Its bare
// twin reads the same member columns with the same filter (在团) and order.
func BenchmarkSearchMembers1M(b *testing.B) { benchSearchMembers(b, datatest.Store1M(b)) }

// benchSearchMembers searches the store at loc for members named 张, 50 at a time.
func benchSearchMembers(b *testing.B, loc string) {
	svc, sess := datatest.Open(b, loc)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := svc.ListMembers(ctx, sess, app.MemberQuery{Text: "张", Limit: 50}, func(app.Member) error { n++; return nil })
		if err != nil || n != 50 {
			b.Fatalf("n=%d err=%v", n, err)
		}
	}
}

func BenchmarkSearchMembers1MBare(b *testing.B) {
	db := bareDB(b, datatest.Store1M(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := db.Query(`SELECT m.id, m.org_id, m.name, m.id_no, m.ethnicity, m.political, m.education, m.join_month, m.is_cadre,
			m.phone, m.weibo, m.qq, m.email, ifnull(m.member_no, ''), m.post, m.post_since, m.cadre_nature, m.party_committee,
			m.developed_on, m.status, m.created_at, m.updated_at, m.mark, m.mark_month, m.mark_reason, m.error_kind,
			m.left_at, m.left_to, m.left_from, m.left_path, m.left_transfer, m.incomplete, o.name
			FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.name >= '张' AND m.name < '张􏿿' AND m.status = '在团' ORDER BY m.name LIMIT 50`)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var id, org int64
			var cadre, party bool
			var s [28]string
			var leftTransfer int64
			var incomplete bool
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

func college(b *testing.B, svc *app.Service, sess *app.Session) app.Org {
	o, err := svc.ResolveOrg(context.Background(), sess, "浙江明理大学团委/信息与电子工程学院团委")
	if err != nil {
		b.Fatal(err)
	}
	return o
}

// BenchmarkOrgChildren1M: the children of a college with their member counts.
func BenchmarkOrgChildren1M(b *testing.B) { benchOrgChildren(b, datatest.Store1M(b)) }

// benchOrgChildren lists a college's children with their counts in the store at loc.
func benchOrgChildren(b *testing.B, loc string) {
	svc, sess := datatest.Open(b, loc)
	c := college(b, svc, sess)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		kids, err := svc.Children(ctx, sess, c.ID)
		if err != nil || len(kids) == 0 {
			b.Fatalf("kids=%d err=%v", len(kids), err)
		}
	}
}

func BenchmarkOrgChildren1MBare(b *testing.B) {
	path := datatest.Store1M(b)
	benchOrgChildrenBare(b, path, bareDB(b, path), "?")
}

// benchOrgChildrenBare reads a college's children with their counts in
// plain SQL on db (placeholder ph), as the store's OrgChildren does.
func benchOrgChildrenBare(b *testing.B, loc string, db *sql.DB, ph string) {
	svc, sess := datatest.Open(b, loc)
	c := college(b, svc, sess)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := db.Query(`SELECT o.id, o.name, o.kind, o.category, o.province,
			(SELECT count(*) FROM members m WHERE m.org_id IN (SELECT d.id FROM orgs d WHERE d.path >= o.path AND d.path < o.path || '~') AND m.status = '在团'),
			(SELECT count(*) FROM orgs k WHERE k.parent_id = o.id)
			FROM orgs o WHERE o.parent_id = `+ph+` ORDER BY o.id`, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var id, members, kids int64
			var name, kind, cat, prov string
			if err := rows.Scan(&id, &name, &kind, &cat, &prov, &members, &kids); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		if n == 0 {
			b.Fatal("no children")
		}
	}
}
