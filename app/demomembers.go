package app

import (
	"context"
	"fmt"
	"math/rand"
	"strconv"
	"time"
)

// demoMembers writes n members spread over the branches, in batches.
func (s *Service) demoMembers(ctx context.Context, tx Tx, rng *rand.Rand, branches []demoBranch, n int, progress func(int, int), res *DemoResult) error {
	now := s.now()
	// Branch sizes: 25 to 45 members, scaled so that they add up to n.
	sizes := make([]int, len(branches))
	total := 0
	for i := range sizes {
		sizes[i] = 25 + rng.Intn(21)
		if branches[i].teacher {
			sizes[i] = 30
		}
		total += sizes[i]
	}
	assigned := 0
	for i := range sizes {
		sizes[i] = sizes[i] * n / total
		assigned += sizes[i]
	}
	for i := 0; assigned < n; i = (i + 1) % len(sizes) {
		sizes[i]++
		assigned++
	}
	used := make(map[string]struct{}, n)
	batch := make([]Member, 0, 5000)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := tx.InsertMembers(batch); err != nil {
			return fmt.Errorf("demo members: %w", err)
		}
		res.Members += len(batch)
		batch = batch[:0]
		progress(res.Members, n)
		return nil
	}
	seq := 0
	for bi, b := range branches {
		for k := 0; k < sizes[bi]; k++ {
			seq++
			m := s.demoMember(rng, b, k, seq, used, now)
			batch = append(batch, m)
			if len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

func (s *Service) demoMember(rng *rand.Rand, b demoBranch, k, seq int, used map[string]struct{}, now time.Time) Member {
	// The draws keep their order: a seed gives the same members.
	male := rng.Intn(2) == 0
	birthYear := demoBirthYear(rng, b, now)
	id := demoIDNo(rng, birthYear, male, used)
	name := demoName(rng, male)
	joinYear := birthYear + 14 + rng.Intn(2)
	joinMonth := fmt.Sprintf("%d-%02d", joinYear, []int{5, 5, 5, 12, 10, 6}[rng.Intn(6)])
	m := Member{
		OrgID: b.org.ID, Name: name, IDNo: id, Ethnicity: "汉族", Political: "共青团员", Education: "普通本科在读",
		JoinMonth: joinMonth, Phone: fmt.Sprintf("1%d%09d", []int{3, 5, 7, 8, 9}[rng.Intn(5)], rng.Intn(1_000_000_000)),
		Status: StatusActive, CreatedAt: now, UpdatedAt: now,
	}
	if rng.Intn(20) == 0 {
		m.Ethnicity = demoEthnic[rng.Intn(len(demoEthnic))]
	}
	if joinYear >= 2017 || rng.Intn(2) == 0 {
		m.MemberNo = fmt.Sprintf("%d%08d", joinYear, seq)
	}
	if rng.Intn(2) == 0 {
		m.QQ = strconv.Itoa(100000000 + rng.Intn(900000000))
		m.Email = m.QQ + "@qq.com"
	}
	switch {
	case b.teacher:
		m.Education = []string{"硕士", "博士"}[rng.Intn(2)]
		m.Political = []string{"共青团员", "中共党员", "中共预备党员"}[rng.Intn(3)]
	case b.grad:
		m.Education = "硕士在读"
		if rng.Intn(4) == 0 {
			m.Political = []string{"中共党员", "中共预备党员"}[rng.Intn(2)]
		}
	default:
		if b.cohort <= now.Year()-3 && rng.Intn(12) == 0 {
			m.Political = "中共预备党员"
		}
	}
	if k < 3 && !b.teacher {
		// The first three of a branch are its committee.
		m.IsCadre = true
		m.Post = []string{"书记", "组织委员", "宣传委员"}[k]
		m.PostSince = fmt.Sprintf("%d-10", b.cohort)
		if m.PostSince > now.Format("2006-01") {
			m.PostSince = now.Format("2006-01")
		}
		m.CadreNature = "兼职"
	}
	return m
}

// demoBirthYear: students are 18 when they enter (some a year older),
// postgraduates 22 or 23, teachers 24 to 28.
func demoBirthYear(rng *rand.Rand, b demoBranch, now time.Time) int {
	birthYear := b.cohort - 18
	switch {
	case b.teacher:
		birthYear = now.Year() - 24 - rng.Intn(5)
	case b.grad:
		birthYear = b.cohort - 22 - rng.Intn(2)
	default:
		if rng.Intn(5) == 0 {
			birthYear--
		}
	}
	return birthYear
}

// demoIDNo is a valid 身份证号 not in used (R-M2), mostly of Zhejiang,
// born in birthYear, odd for men; it is added to used.
func demoIDNo(rng *rand.Rand, birthYear int, male bool, used map[string]struct{}) string {
	for {
		region := demoRegions[rng.Intn(len(demoRegions))]
		if rng.Intn(3) > 0 {
			region = demoRegions[rng.Intn(18)] // mostly Zhejiang
		}
		day := time.Date(birthYear, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.Intn(365))
		sq := rng.Intn(500) * 2
		if male {
			sq++
		}
		first := fmt.Sprintf("%s%s%03d", region, day.Format("20060102"), sq)
		id := first + string(IDCheckChar(first))
		if _, dup := used[id]; !dup {
			used[id] = struct{}{}
			return id
		}
	}
}

// demoName is a surname and a given name of one or two characters.
func demoName(rng *rand.Rand, male bool) string {
	given := demoFemale
	if male {
		given = demoMale
	}
	name := string(demoSurnames[rng.Intn(len(demoSurnames))]) + string(given[rng.Intn(len(given))])
	if rng.Intn(3) > 0 {
		name += string(given[rng.Intn(len(given))])
	}
	return name
}
