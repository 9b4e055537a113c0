package data

import (
	"testing"

	"tuanwu/app"
)

// Issue 13 (the sweep's speed): eachRecord reads a chunk of records
// without having the aggregate sort them again, trusting the subquery's id
// order only after checking it; splitRecords tells whether the ids rise, so
// that a chunk in any other order is read again sorted.
func TestSplitRecords_IDOrder_Issue13(t *testing.T) {
	rec := func(ids ...int64) string {
		var buf []byte
		e := app.AuditEntry{Actor: "系统", Action: "转入审批系统默认通过", Object: "转接第 1 号 张三（330102********001X）", Member: "33010220050315001X"}
		for _, id := range ids {
			buf = appendRecord(buf, id, "2026-09-16T10:00:00+08:00", &e)
		}
		return string(buf)
	}
	tests := []struct {
		name    string
		all     string
		after   int64
		n       int
		inOrder bool
	}{
		{"empty", "", 0, 0, true},
		{"rising", rec(5, 6, 9), 4, 3, true},
		{"not above after", rec(4, 5), 4, 2, false},
		{"falling", rec(5, 7, 6), 4, 3, false},
		{"repeated", rec(5, 5), 0, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, inOrder, err := splitRecords(nil, tc.all, tc.after, false)
			if err != nil || len(got) != tc.n || inOrder != tc.inOrder {
				t.Fatalf("splitRecords = %d records, in order %v, %v; want %d, %v", len(got), inOrder, err, tc.n, tc.inOrder)
			}
			joined := ""
			for _, r := range got {
				joined += r.record
			}
			if joined != tc.all {
				t.Errorf("the records do not add up to the chunk")
			}
		})
	}
	if _, _, err := splitRecords(nil, "2:10", 0, false); err == nil {
		t.Error("a cut record was read")
	}
}
