package app

import (
	"context"
	"regexp"
	"strconv"
	"strings"
)

// Where a graduate of the season stands (R-W6).
const (
	ProgressFinished   = "已完成转出"
	ProgressInProgress = "转接办理中"
	ProgressKept       = "留校保留"
	ProgressAbroad     = "出国（境）学习研究登记"
	ProgressNotStarted = "尚未办理"
)

// GradCount is a number of graduates of one season under one child of
// the report's organization, in one of the Progress categories.
type GradCount struct {
	Child    int64 // the child organization of the report's scope (a college); 0: the scope itself
	Category string
	N        int
}

// GradProgress is one line of the season's progress (R-W6).
type GradProgress struct {
	Org        Org // the college, or the school for the total
	Graduates  int // members of branches marked for the year, less 教师 and 延迟毕业团员
	Finished   int // transfers out finished
	InProgress int
	Kept       int // 未就业, kept at school (≤ 6 months)
	Abroad     int // 出国（境）学习研究, on the register
	NotStarted int // at risk of 失联
}

// Rate is finished / graduates, 0 when there are none.
func (p GradProgress) Rate() float64 {
	if p.Graduates == 0 {
		return 0
	}
	return float64(p.Finished) / float64(p.Graduates)
}

// Percent is the rate as people write it: 87.5%, or — when there are no graduates.
func (p GradProgress) Percent() string {
	if p.Graduates == 0 {
		return "—"
	}
	return strconv.FormatFloat(100*p.Rate(), 'f', 1, 64) + "%"
}

func (p *GradProgress) add(category string, n int) {
	p.Graduates += n
	switch category {
	case ProgressFinished:
		p.Finished += n
	case ProgressInProgress:
		p.InProgress += n
	case ProgressKept:
		p.Kept += n
	case ProgressAbroad:
		p.Abroad += n
	default:
		p.NotStarted += n
	}
}

// GradReport is the season's progress for a graduation year (R-W6): a line
// per college and the school's total.
type GradReport struct {
	Year  string
	Scope Org
	Rows  []GradProgress
	Total GradProgress
}

var yearPattern = regexp.MustCompile(`^(19|20)[0-9]{2}$`)

// GraduatesReport counts, for the graduation year, the graduates under org
// (0: the session's highest organization) per college, by where their
// transfers stand (R-W6): graduates who left stay counted where they left
// from, even when their branch is gone.
func (s *Service) GraduatesReport(ctx context.Context, ss *Session, year string, orgID int64) (GradReport, error) {
	year = strings.TrimSpace(year)
	if !yearPattern.MatchString(year) {
		return GradReport{}, Errorf(EInvalid, "毕业年份“%s”不正确，请填写四位年份，例如 %s。", year, s.now().In(Shanghai).Format("2006"))
	}
	if err := ready(ss); err != nil {
		return GradReport{}, err
	}
	if !ss.IsAdmin() {
		return GradReport{}, Errorf(EForbidden, "只有组织管理员才能查看毕业生转接进度。")
	}
	rep := GradReport{Year: year}
	err := s.Store.Read(ctx, func(tx Tx) error {
		if orgID == 0 {
			orgID = ss.Top().ID
		}
		scope, err := s.manageable(tx, ss, orgID)
		if err != nil {
			return err
		}
		rep.Scope, rep.Total.Org = scope, scope
		counts, err := tx.GraduateCounts(scope.Path, year)
		if err != nil {
			return err
		}
		rows := map[int64]*GradProgress{}
		kids, err := tx.Children(scope.ID)
		if err != nil {
			return err
		}
		var order []int64
		for _, k := range kids {
			if !k.IsBranch() {
				rows[k.ID] = &GradProgress{Org: k}
				order = append(order, k.ID)
			}
		}
		for _, c := range counts {
			r, ok := rows[c.Child]
			if !ok {
				o := scope
				if c.Child != 0 {
					if o, err = tx.Org(c.Child); err != nil {
						o = Org{ID: c.Child, Name: "（已删除的组织）"}
					}
				}
				r = &GradProgress{Org: o}
				rows[c.Child] = r
				order = append(order, c.Child)
			}
			r.add(c.Category, c.N)
			rep.Total.add(c.Category, c.N)
		}
		for _, id := range order {
			rep.Rows = append(rep.Rows, *rows[id])
		}
		return nil
	})
	return rep, err
}

// NotStartedGraduates lists the graduates of the year under org who have
// no transfer running, kept or finished: the ones at risk of 失联 (R-W6).
func (s *Service) NotStartedGraduates(ctx context.Context, ss *Session, year string, orgID int64) ([]Member, error) {
	year = strings.TrimSpace(year)
	if !yearPattern.MatchString(year) {
		return nil, Errorf(EInvalid, "毕业年份“%s”不正确，请填写四位年份。", year)
	}
	var out []Member
	err := s.Store.Read(ctx, func(tx Tx) error {
		if err := ready(ss); err != nil {
			return err
		}
		o, err := s.manageable(tx, ss, orgID)
		if err != nil {
			return err
		}
		out, err = tx.GraduatesNotStarted(o.Path, year)
		return err
	})
	return out, err
}
