package xlsx_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/xlsx"
)

// The benchmarks come in pairs, run together:
//
//	go test -run '^$' -bench . -benchmem ./data/xlsx/
//
// Each Bare twin does the plainest equivalent work on the same input, so the
// ratio of the two is the cost of the application's own checks and styles:
//   - Import50k: ReadMembers + CheckImport + ImportMembers of a 50,000-row
//     file (the template WriteTemplate hands out, filled in as Excel stores
//     it: shared strings) into a fresh store with one branch; Bare reads the
//     same file with excelize's Rows iterator, with the reading options of
//     ReadMembers, and inserts the raw cells with one prepared INSERT in one
//     transaction into the same schema. Import50kBareDefaults is the same
//     with excelize's default options, which hold the shared strings in
//     memory: faster, but over the 200 MB the import must stay under.
//   - Export50k: WriteRoster of 50,000 members; Bare writes the same cells
//     with a StreamWriter and no styles, title merge, panes or page setup.
//
// Every benchmark reports cpu-s/op, the process CPU time of the timed work,
// which other load on the machine disturbs less than ns/op. Import50k also
// reports the peak Go heap of the import (peak-heap-MB, sampled every 5 ms)
// and, on Linux, the peak resident memory of the process during the import
// (peak-rss-MB, which also counts SQLite's page cache).

const benchRows = 50000

var bench struct {
	once   sync.Once
	err    error
	dir    string
	file   []byte // the 50,000-row template
	store  string // a store with one branch, copied for each run
	branch int64

	exportOnce sync.Once
	members    []app.Member // the members of the export, with OrgName
}

func benchSetup(b *testing.B) {
	b.Helper()
	bench.once.Do(func() {
		bench.dir, bench.err = os.MkdirTemp("", "tuanwu-xlsx-bench-")
		if bench.err != nil {
			return
		}
		bench.file, bench.err = fillTemplate(genMembers(benchRows, 50))
		if bench.err != nil {
			return
		}
		bench.store = filepath.Join(bench.dir, "template.db")
		bench.branch, bench.err = buildBenchStore(bench.store)
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
}

// fillTemplate fills the template WriteTemplate hands out with members, as
// an office does in Excel: text cells, stored as shared strings.
func fillTemplate(ms []app.Member) ([]byte, error) {
	var tpl bytes.Buffer
	if err := xlsx.WriteTemplate(&tpl); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(&tpl)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	for i, m := range ms {
		for j, v := range templateRow(m) {
			if v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := f.SetCellStr(xlsx.TemplateSheet, cell, v); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	return buf.Bytes(), err
}

// buildBenchStore writes an empty store with one branch at path.
func buildBenchStore(path string) (int64, error) {
	ctx := context.Background()
	st, err := data.Open(path)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	svc := app.NewService(st)
	svc.Now = func() time.Time { return testNow }
	root, err := svc.Init(ctx, app.InitInput{OrgName: "浙江明理大学团委", Province: "浙江", AdminName: "周明远", AdminID: ownerID})
	if err != nil {
		return 0, err
	}
	ss, _ := svc.SignIn(ctx, ownerID, app.InitialPassword(ownerID))
	if err := svc.ChangePassword(ctx, ss, app.InitialPassword(ownerID), ownerPass); err != nil {
		return 0, err
	}
	col, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: root.ID, Name: "信息学院团委", Kind: app.KindCommittee})
	if err != nil {
		return 0, err
	}
	br, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: col.ID, Name: "2025级计算机1班团支部", Kind: app.KindBranch})
	return br.ID, err
}

func exportSetup(b *testing.B) {
	bench.exportOnce.Do(func() {
		bench.members = genMembers(benchRows, 50)
		for i := range bench.members {
			bench.members[i].OrgName = "浙江明理大学团委/信息学院团委/2025级计算机1班团支部"
		}
	})
}

// freshStore copies the bench store to a new file and returns its path.
func freshStore(b *testing.B, n int) string {
	b.Helper()
	src, err := os.ReadFile(bench.store)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(bench.dir, fmt.Sprintf("run-%s-%d.db", strings.ReplaceAll(b.Name(), "/", "_"), n))
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	})
	return path
}

// peakMemory samples the Go heap while the timer runs and, on Linux,
// resets and reads the process's peak resident set.
type peakMemory struct {
	stop   chan struct{}
	done   chan struct{}
	heap   atomic.Uint64
	rssOK  bool
	maxRSS uint64
}

func startPeak() *peakMemory {
	debug.FreeOSMemory()
	p := &peakMemory{stop: make(chan struct{}), done: make(chan struct{})}
	p.rssOK = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	go func() {
		defer close(p.done)
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if h := ms.HeapInuse + ms.StackInuse; h > p.heap.Load() {
				p.heap.Store(h)
			}
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

func (p *peakMemory) end() {
	close(p.stop)
	<-p.done
	if p.rssOK {
		if b, err := os.ReadFile("/proc/self/status"); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
					kb, _ := strconv.ParseUint(f[1], 10, 64)
					p.maxRSS = max(p.maxRSS, kb<<10)
				}
			}
		}
	}
}

// cpuClock adds up the process CPU time of the timed parts of a benchmark.
type cpuClock struct {
	total, start time.Duration
}

func (c *cpuClock) run()  { c.start = cpuTime() }
func (c *cpuClock) stop() { c.total += cpuTime() - c.start }

func (c *cpuClock) report(b *testing.B) {
	if c.total > 0 {
		b.ReportMetric(c.total.Seconds()/float64(b.N), "cpu-s/op")
	}
}

// R-M4: the import of a 50,000-row file (read, check against the store,
// insert in one transaction).
func BenchmarkImport50k(b *testing.B) {
	benchSetup(b)
	ctx := context.Background()
	var peakHeap, peakRSS uint64
	var cpu cpuClock
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := data.Open(freshStore(b, i))
		if err != nil {
			b.Fatal(err)
		}
		svc := app.NewService(st)
		svc.Now = func() time.Time { return testNow }
		ss, err := svc.SignIn(ctx, ownerID, ownerPass)
		if err != nil {
			b.Fatal(err)
		}
		p := startPeak()
		b.StartTimer()
		cpu.run()

		rows, err := xlsx.ReadMembers(bytes.NewReader(bench.file), testNow)
		if err != nil {
			b.Fatal(err)
		}
		rows, err = svc.CheckImport(ctx, ss, bench.branch, rows)
		if err != nil {
			b.Fatal(err)
		}
		res, err := svc.ImportMembers(ctx, ss, bench.branch, rows, false, nil)

		b.StopTimer()
		cpu.stop()
		p.end()
		peakHeap, peakRSS = max(peakHeap, p.heap.Load()), max(peakRSS, p.maxRSS)
		if err != nil || res.Imported != benchRows {
			b.Fatalf("ImportMembers = %+v, %v", res, err)
		}
		rows = nil
		st.Close()
		b.StartTimer()
	}
	cpu.report(b)
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
	if peakRSS > 0 {
		b.ReportMetric(float64(peakRSS)/(1<<20), "peak-rss-MB")
	}
}

// bareReadOptions are the reading options of ReadMembers (detect.go): raw
// cell values, and worksheets and shared strings over 2 MB unpacked to
// temporary files rather than held in memory, which keeps the import of
// 50,000 rows under 200 MB. With excelize's defaults (16 MB) the shared
// strings of this file take about 100 MB more heap and the read is about
// 1.5 s faster; BenchmarkImport50kBareDefaults measures that.
var bareReadOptions = excelize.Options{RawCellValue: true, UnzipXMLSizeLimit: 2 << 20}

const bareInsert = `INSERT INTO members (org_id, name, id_no, ethnicity, political, education, join_month, is_cadre,
	phone, weibo, qq, email, member_no, post, post_since, cadre_nature, party_committee, status, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '在团', ?, ?)`

func BenchmarkImport50kBare(b *testing.B) { benchImportBare(b, bareReadOptions) }

// BenchmarkImport50kBareDefaults is the bare import with excelize's default
// reading options (shared strings held in memory).
func BenchmarkImport50kBareDefaults(b *testing.B) { benchImportBare(b, excelize.Options{}) }

func benchImportBare(b *testing.B, opts excelize.Options) {
	benchSetup(b)
	now := testNow.UTC().Format(time.RFC3339)
	var cpu cpuClock
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := sql.Open("sqlite3", freshStore(b, i)+"?_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL&_txlock=immediate")
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		b.StartTimer()
		cpu.run()

		f, err := excelize.OpenReader(bytes.NewReader(bench.file), opts)
		if err != nil {
			b.Fatal(err)
		}
		it, err := f.Rows(f.GetSheetName(0))
		if err != nil {
			b.Fatal(err)
		}
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.Prepare(bareInsert)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		args := make([]any, 19)
		for r := 0; it.Next(); r++ {
			cells, err := it.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			if r < 1 { // the header
				continue
			}
			args[0] = bench.branch
			for j := 0; j < 16; j++ {
				args[1+j] = ""
				if j < len(cells) {
					args[1+j] = cells[j]
				}
			}
			if args[12] == "" {
				args[12] = nil // member_no: NULL when empty (unique otherwise)
			}
			args[17], args[18] = now, now
			if _, err := st.Exec(args...); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		it.Close()
		f.Close()

		b.StopTimer()
		cpu.stop()
		if n != benchRows {
			b.Fatalf("inserted %d rows", n)
		}
		db.Close()
		b.StartTimer()
	}
	cpu.report(b)
}

// R-X2: the roster of 50,000 members.
func BenchmarkExport50k(b *testing.B) {
	exportSetup(b)
	var cpu cpuClock
	b.ReportAllocs()
	b.ResetTimer()
	cpu.run()
	defer func() { cpu.stop(); cpu.report(b) }()
	for i := 0; i < b.N; i++ {
		if err := xlsx.WriteRoster(io.Discard, "信息学院团委团员名册", each(bench.members), xlsx.RosterOptions{MaskIDs: true, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExport50kBare(b *testing.B) {
	exportSetup(b)
	cols := []any{"序号", "所在组织", "姓名", "身份证号码", "性别", "出生日期", "年龄"}
	for _, f := range app.MemberFields {
		cols = append(cols, f)
	}
	cols = append(cols, "发展日期", "团籍状态")
	var cpu cpuClock
	b.ReportAllocs()
	b.ResetTimer()
	cpu.run()
	defer func() { cpu.stop(); cpu.report(b) }()
	for i := 0; i < b.N; i++ {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		if err := sw.SetRow("A1", []any{"信息学院团委团员名册"}); err != nil {
			b.Fatal(err)
		}
		if err := sw.SetRow("A2", cols); err != nil {
			b.Fatal(err)
		}
		vals := make([]any, len(cols))
		for k, m := range bench.members {
			info := m.Info()
			vals[0], vals[1], vals[2], vals[3] = k+1, m.OrgName, m.Name, app.MaskID(m.IDNo)
			vals[4], vals[5], vals[6] = info.Gender(), info.Birth.Format("2006-01-02"), app.AgeAt(info.Birth, testNow)
			for j, name := range app.MemberFields {
				vals[7+j] = m.Field(name)
			}
			vals[len(vals)-2], vals[len(vals)-1] = m.DevelopedOn, m.Status
			cell, _ := excelize.CoordinatesToCellName(1, k+3)
			if err := sw.SetRow(cell, vals); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.Write(io.Discard); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// TestMain removes the benchmarks' shared folder.
func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}
