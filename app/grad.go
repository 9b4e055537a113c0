package app

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Member marks (R-D1) and identities shown in 被标记成员身份 (R-D3).
const (
	MarkTeacher  = "教师"
	MarkDelayed  = "延迟毕业团员"
	IdentityGrad = "毕业生"
)

// Programs for the graduation-month suggestion (R-G2).
var Programs = []string{"本科4", "硕士2", "硕士2.5", "硕士3"}

// SuggestGradMonths returns the expected graduation months of a cohort in a
// program (R-G2): 本科4 → entry+4 -06; 硕士2 → +2 -06; 硕士2.5 → +2 -12 or
// +3 -01; 硕士3 → +3 -06.
func SuggestGradMonths(cohort int, program string) ([]string, error) {
	if cohort < 1950 || cohort > 2200 {
		return nil, Errorf(EInvalid, "入学年级应为四位年份，例如 2020。")
	}
	m := func(y int, mo int) string { return fmt.Sprintf("%d-%02d", y, mo) }
	switch strings.TrimSpace(program) {
	case "本科4", "本科", "4":
		return []string{m(cohort+4, 6)}, nil
	case "硕士2", "2":
		return []string{m(cohort+2, 6)}, nil
	case "硕士2.5", "2.5":
		return []string{m(cohort+2, 12), m(cohort+3, 1)}, nil
	case "硕士3", "3":
		return []string{m(cohort+3, 6)}, nil
	}
	return nil, Errorf(EInvalid, "学制“%s”不正确，请从 %s 中选择。", program, strings.Join(Programs, "、"))
}

var (
	cohortPattern  = regexp.MustCompile(`^((?:19|20)\d{2})级`)
	programPattern = regexp.MustCompile(`(\d(?:\.\d)?)\s*年制`)
)

// SuggestForBranch parses a branch name such as 2020级本科1班团支部 or
// 2025级软件工程硕士研究生（2.5年制）团支部 and suggests its graduation
// months (R-G2); none when the name tells nothing.
func SuggestForBranch(name string) []string {
	g := cohortPattern.FindStringSubmatch(name)
	if g == nil {
		return nil
	}
	cohort, _ := strconv.Atoi(g[1])
	program := "本科4"
	if strings.Contains(name, "硕士") || strings.Contains(name, "研究生") {
		program = "硕士3"
		if p := programPattern.FindStringSubmatch(name); p != nil {
			program = "硕士" + p[1]
		}
	} else if p := programPattern.FindStringSubmatch(name); p != nil && p[1] != "4" {
		return nil // an unusual undergraduate length: let the office decide
	}
	months, err := SuggestGradMonths(cohort, program)
	if err != nil {
		return nil
	}
	return months
}

// GradMark is the input of MarkGraduation: a month, or the reason why no
// month can be fixed (R-G3).
type GradMark struct {
	OrgIDs []int64
	Month  string // YYYY-MM
	Reason string // 教师支部 or 混合支部
}

// GradMarkResult tells what MarkGraduation changed.
type GradMarkResult struct {
	Marked int
	Month  string
	Reason string
}

// GradConsequence is the confirmation text shown before marking (R-G4).
func GradConsequence(n int, month, reason string) string {
	if reason != "" {
		return fmt.Sprintf("将把 %d 个团支部标记为“%s”（无法确定毕业时间），支部类别改为%s，不纳入当年毕业生识别。标记错误可以稍后重新标记。", n, reason, reason)
	}
	return fmt.Sprintf("将把 %d 个团支部的团员预计毕业时间标记为 %s。系统以此识别当年毕业生：到规定时间，当年毕业的团支部会自动变更为“毕业生团组织”，其团员可办理毕业组织关系转接。标记错误可以稍后重新标记。", n, month)
}

// ValidateGradMark checks a marking before anything is asked or stored
// (R-G1, R-G3): branches chosen, a month or a reason (教师支部/混合支部) but
// not both; the month is normalised to YYYY-MM.
func ValidateGradMark(in GradMark, now time.Time) (GradMark, error) {
	in.Month, in.Reason = strings.TrimSpace(in.Month), strings.TrimSpace(in.Reason)
	switch {
	case len(in.OrgIDs) == 0:
		return in, Errorf(EInvalid, "请勾选要标记的团支部。")
	case in.Month == "" && in.Reason == "":
		return in, Errorf(EInvalid, "请选择预计毕业时间；无法确定毕业时间的，须选择理由（教师支部或混合支部）。")
	case in.Month != "" && in.Reason != "":
		return in, Errorf(EInvalid, "预计毕业时间和无法确定的理由只能选一个。")
	case in.Reason != "" && in.Reason != CatTeacher && in.Reason != CatMixed:
		return in, Errorf(EInvalid, "无法确定毕业时间的理由只能是“教师支部”或“混合支部”。")
	}
	if in.Month != "" {
		m, err := NormalizeMonth("预计毕业时间", in.Month)
		if err != nil {
			return in, err
		}
		if m < "2000-01" || m > now.AddDate(10, 0, 0).Format("2006-01") {
			return in, Errorf(EInvalid, "预计毕业时间 %s 不合理，请核对。", m)
		}
		in.Month = m
	}
	return in, nil
}

// MarkGraduation marks branches with their expected graduation month, or
// with the reason none can be fixed, in one step (R-G1, R-G3, R-G4). Only a
// committee administrator above the branches may mark; a branch
// administrator may not (R-A4).
func (s *Service) MarkGraduation(ctx context.Context, ss *Session, in GradMark) (GradMarkResult, error) {
	if err := ready(ss); err != nil {
		return GradMarkResult{}, err
	}
	in, err := ValidateGradMark(in, s.now())
	if err != nil {
		return GradMarkResult{}, err
	}
	res := GradMarkResult{Month: in.Month, Reason: in.Reason}
	ids := make([]int64, 0, len(in.OrgIDs))
	seen := map[int64]bool{}
	for _, id := range in.OrgIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		var paths []string
		if !ss.Owner {
			for _, a := range ss.Orgs {
				if !a.IsBranch() {
					paths = append(paths, a.Path)
				}
			}
			if len(paths) == 0 {
				return Errorf(EForbidden, "团支部管理员不能标记毕业时间，请由上级团委（团总支）管理员标记。")
			}
		}
		category := ""
		if in.Reason != "" {
			category = in.Reason
		}
		// One statement marks the branches the session may mark; when that
		// is not every one asked for, the error rolls the transaction back.
		n, err := tx.MarkGraduation(ids, paths, in.Month, in.Reason, category)
		if err != nil {
			return err
		}
		if n != len(ids) {
			return s.gradRefusal(tx, ss, ids)
		}
		// R-D1: the branch's month stays earlier than its delayed members'.
		if in.Month != "" {
			late, err := tx.DelayedNotAfter(ids, in.Month, 5)
			if err != nil {
				return err
			}
			if len(late) > 0 {
				var who []string
				for _, m := range late {
					who = append(who, m.Name+"（"+m.MarkMonth+"）")
				}
				return Errorf(EConflict, "延迟毕业团员 %s 的预计毕业时间不晚于 %s。团支部的毕业时间须早于其延迟毕业团员的，请先修改或撤销他们的延迟毕业标记，再标记。", strings.Join(who, "、"), in.Month)
			}
		}
		res.Marked = n
		names, err := tx.OrgNames(ids, 20)
		if err != nil {
			return err
		}
		what := in.Month
		if in.Reason != "" {
			what = "无法确定：" + in.Reason
		}
		summary := strings.Join(names, "、")
		if len(ids) > len(names) {
			summary += fmt.Sprintf(" 等 %d 个", len(ids))
		}
		return s.audit(tx, ss, Change{Action: ActMarkGrad, Object: summary, OrgID: ss.Top().ID, After: what})
	})
	return res, err
}

// gradRefusal explains why some of ids may not be marked.
func (s *Service) gradRefusal(tx Tx, ss *Session, ids []int64) error {
	orgs, err := tx.OrgsByID(ids)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if !o.IsBranch() {
			return Errorf(EInvalid, "“%s”是%s，只有团支部才标记毕业时间，请只勾选团支部。", o.Name, o.Kind)
		}
	}
	for _, o := range orgs {
		if !ss.CanCommittee(o) {
			if ss.CanManage(o) {
				return Errorf(EForbidden, "团支部管理员不能标记毕业时间，请由上级团委（团总支）管理员标记“%s”。", o.Name)
			}
			return Errorf(EForbidden, "您没有管理“%s”的权限。", o.Name)
		}
	}
	return Errorf(EConflict, "部分团支部不能标记，请重新选择。")
}

// Unmarked returns the branches under org with no graduation mark and their
// members, for 附件4 (R-G6).
func (s *Service) Unmarked(ctx context.Context, ss *Session, orgID int64) ([]UnmarkedBranch, error) {
	var out []UnmarkedBranch
	err := s.Store.Read(ctx, func(tx Tx) error {
		o, err := s.manageable(tx, ss, orgID)
		if err != nil {
			return err
		}
		list, err := tx.UnmarkedBranches(o.Path)
		if err != nil {
			return err
		}
		for _, b := range list {
			ub := UnmarkedBranch{Org: b}
			if err := tx.Members(MemberQuery{OrgID: b.ID}, func(m Member) error { ub.Members = append(ub.Members, m); return nil }); err != nil {
				return err
			}
			out = append(out, ub)
		}
		return nil
	})
	return out, err
}

// GradSwitchDate returns the configured day (MM-DD, default 07-01) on which
// the year's marked branches become 毕业生团组织 (R-G5).
func (s *Service) GradSwitchDate(ctx context.Context) (string, error) {
	var v string
	err := s.Store.Read(ctx, func(tx Tx) (err error) { v, err = tx.Setting("grad_switch"); return err })
	if v == "" {
		v = "07-01"
	}
	return v, err
}

// SetGradSwitchDate changes that day (the store owner only).
func (s *Service) SetGradSwitchDate(ctx context.Context, ss *Session, mmdd string) error {
	if err := ready(ss); err != nil {
		return err
	}
	if !ss.Owner {
		return Errorf(EForbidden, "只有校级（根组织）管理员才能修改毕业生团组织的转换日期。")
	}
	if _, err := time.Parse("01-02", mmdd); err != nil {
		return Errorf(EInvalid, "日期应写成“07-01”这样的月-日。")
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		old, _ := tx.Setting("grad_switch")
		if err := tx.SetSetting("grad_switch", mmdd); err != nil {
			return err
		}
		return s.audit(tx, ss, Change{Action: ActGradSwitchDate, Object: "设置", Before: old, After: mmdd})
	})
}

// SweepGraduation changes the category of the branches marked for the
// current year to 毕业生团组织 once the configured date is reached (R-G5).
func (s *Service) SweepGraduation(ctx context.Context) (int, error) {
	now := s.now()
	switchDay, err := s.GradSwitchDate(ctx)
	if err != nil {
		return 0, err
	}
	if now.Format("01-02") < switchDay {
		return 0, nil
	}
	n := 0
	err = s.Store.Write(ctx, func(tx Tx) error {
		var err error
		if n, err = tx.GraduateBranches(strconv.Itoa(now.Year())+"-", now.Format("2006-01")); err != nil {
			return err
		}
		if n > 0 {
			return tx.AppendAudit(AuditEntry{At: now, Actor: "系统", Action: ActGradSwitch,
				After: fmt.Sprintf("%d 个当年毕业的团支部变更为“毕业生团组织”", n)})
		}
		return nil
	})
	return n, err
}

// SweepAll applies every dated rule as of now: transfer deadlines (R-T4)
// and the graduation switch (R-G5).
func (s *Service) SweepAll(ctx context.Context) (SweepResult, error) {
	res, err := s.Sweep(ctx)
	if err != nil {
		return res, err
	}
	res.Graduated, err = s.SweepGraduation(ctx)
	return res, err
}
