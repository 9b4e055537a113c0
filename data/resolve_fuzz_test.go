package data_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/data/datatest"
)

// FuzzResolveOrg: how an organization is named on the command line, a path
// of names joined by / from the root or a numeric ID, resolved in a small
// store. A path resolves exactly when it names an organization (names
// trimmed, slashes at the ends ignored), to that organization; a number to
// the organization with that ID; anything else is a not-found or invalid
// refusal with a sentence.
func FuzzResolveOrg(f *testing.F) {
	path := datatest.Empty(f)
	svc, ss := datatest.Open(f, path)
	ctx := context.Background()
	byPath := map[string]int64{}
	byID := map[int64]bool{}
	var add func(parent app.Org, names []string, kind string)
	add = func(parent app.Org, names []string, kind string) {
		for _, n := range names {
			o, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: parent.ID, Name: n, Kind: kind})
			if err != nil {
				f.Fatal(err)
			}
			byPath[parent.FullName+"/"+n] = o.ID
			byID[o.ID] = true
		}
	}
	root, err := svc.ResolveOrg(ctx, ss, "浙江明理大学团委")
	if err != nil {
		f.Fatal(err)
	}
	root.FullName = "浙江明理大学团委"
	byPath[root.FullName], byID[root.ID] = root.ID, true
	add(root, []string{"信息学院团委", "法学院团委"}, app.KindCommittee)
	college, _ := svc.ResolveOrg(ctx, ss, "浙江明理大学团委/信息学院团委")
	college.FullName = "浙江明理大学团委/信息学院团委"
	add(college, []string{"2025级计算机1班团支部", "2025级 计算机2班团支部"}, app.KindBranch)

	for _, s := range []string{"浙江明理大学团委", " /浙江明理大学团委/信息学院团委/ ", "浙江明理大学团委 / 信息学院团委/2025级计算机1班团支部",
		"1", "3", "999", "-1", "+2", "浙江明理大学团委//信息学院团委", "", "/", "信息学院团委", "浙江明理大学团委/信息学院团委/2025级 计算机2班团支部"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		o, err := svc.ResolveOrg(ctx, ss, ref)
		trimmed := strings.Trim(strings.TrimSpace(ref), "/")
		var want int64
		if id, perr := strconv.ParseInt(trimmed, 10, 64); perr == nil {
			if byID[id] {
				want = id
			}
		} else {
			names := strings.Split(trimmed, "/")
			for i := range names {
				names[i] = strings.TrimSpace(names[i])
			}
			want = byPath[strings.Join(names, "/")]
		}
		if err != nil {
			if want != 0 {
				t.Fatalf("ResolveOrg(%q): %v, want organization %d", ref, err, want)
			}
			if c := app.ErrorCode(err); (c != app.ENotFound && c != app.EInvalid) || !strings.ContainsRune(app.ErrorMessage(err), '。') {
				t.Fatalf("ResolveOrg(%q): %v (%s), want a not-found sentence", ref, err, c)
			}
			return
		}
		if o.ID != want {
			t.Fatalf("ResolveOrg(%q) = organization %d (%s), want %d", ref, o.ID, o.Name, want)
		}
	})
}
