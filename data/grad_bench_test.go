package data_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"tuanwu/app"
	"tuanwu/data/datatest"
)

// gradStore builds a store whose root has one college with 1,000 branches.
func gradStore(b *testing.B) (string, *app.Service, *app.Session, []int64, int64) {
	path := datatest.Empty(b)
	svc, sess := datatest.Open(b, path)
	ctx := context.Background()
	root, err := svc.ResolveOrg(ctx, sess, "浙江明理大学团委")
	if err != nil {
		b.Fatal(err)
	}
	college, _, err := svc.AddOrg(ctx, sess, app.NewOrg{ParentID: root.ID, Name: "信息学院团委", Kind: app.KindCommittee})
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	err = svc.Store.Write(ctx, func(tx app.Tx) error {
		for i := 0; i < 1000; i++ {
			o := app.Org{ParentID: college.ID, Name: fmt.Sprintf("2023级计算机%d班团支部", i+1), Kind: app.KindBranch,
				Category: app.CatNormal, Province: "浙江", CreatedAt: datatest.Now}
			if err := tx.InsertOrg(&o); err != nil {
				return err
			}
			ids = append(ids, o.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return path, svc, sess, ids, college.ID
}

// BenchmarkGradMark1000 marks 1,000 branches in one step through the use
// case (R-G1: checks, one transaction, audit); compare with the bare twin.
func BenchmarkGradMark1000(b *testing.B) {
	_, svc, sess, ids, _ := gradStore(b)
	ctx := context.Background()
	months := []string{"2027-06", "2027-07"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := svc.MarkGraduation(ctx, sess, app.GradMark{OrgIDs: ids, Month: months[i%2]})
		if err != nil || res.Marked != 1000 {
			b.Fatalf("marked %d: %v", res.Marked, err)
		}
	}
}

// BenchmarkGradMark1000Bare is one bare UPDATE of the same 1,000 branches.
func BenchmarkGradMark1000Bare(b *testing.B) {
	path, _, _, _, college := gradStore(b)
	db, err := sql.Open("sqlite3", path+"?_busy_timeout=5000&_synchronous=NORMAL")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	months := []string{"2027-06", "2027-07"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := db.Exec("UPDATE orgs SET grad_month = ? WHERE parent_id = ? AND kind = '团支部'", months[i%2], college)
		if err != nil {
			b.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1000 {
			b.Fatalf("updated %d", n)
		}
	}
}
