package app

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Identity returns what 被标记成员身份 shows for a member of branch o (R-D3):
// 教师 or 延迟毕业团员 when marked, 毕业生 in a branch with a graduation
// month, "" otherwise.
func Identity(m Member, o Org) string {
	if m.Mark != "" {
		return m.Mark
	}
	if o.GradMonth != "" {
		return IdentityGrad
	}
	return ""
}

// MemberMark is the input of MarkMembers.
type MemberMark struct {
	IDNos  []string
	Mark   string // 教师 or 延迟毕业团员
	Month  string // 延迟毕业: expected graduation month, strictly after the branch's
	Reason string // 延迟毕业: why
}

// MarkMembers marks members of graduating branches as 教师 or 延迟毕业团员,
// singly or in batch (R-D1). A delayed mark needs a month strictly later
// than the branch's and a reason. All or nothing.
func (s *Service) MarkMembers(ctx context.Context, ss *Session, in MemberMark) (int, error) {
	in.Mark = strings.TrimSpace(in.Mark)
	var err error
	if in.Reason, err = CleanText("延迟毕业原因", in.Reason); err != nil {
		return 0, err
	}
	switch in.Mark {
	case MarkTeacher:
		in.Month, in.Reason = "", ""
	case MarkDelayed:
		m, err := NormalizeMonth("预计毕业时间", in.Month)
		if err != nil {
			return 0, err
		}
		if m == "" {
			return 0, Errorf(EInvalid, "标记延迟毕业团员须选择预计毕业时间。")
		}
		if in.Reason == "" {
			return 0, Errorf(EInvalid, "标记延迟毕业团员须填写延迟毕业原因。")
		}
		in.Month = m
	default:
		return 0, Errorf(EInvalid, "标记只能是“教师”或“延迟毕业团员”。")
	}
	if len(in.IDNos) == 0 {
		return 0, Errorf(EInvalid, "请勾选要标记的团员。")
	}
	n := 0
	err = s.Store.Write(ctx, func(tx Tx) error {
		for _, raw := range in.IDNos {
			m, o, err := s.managedMember(tx, ss, raw)
			if err != nil {
				return err
			}
			if o.GradMonth == "" {
				return Errorf(EConflict, "%s 所在的“%s”还没有标记毕业时间，只有毕业团支部的成员才能标记为教师或延迟毕业团员。", m.Name, o.Name)
			}
			if in.Mark == MarkDelayed && in.Month <= o.GradMonth {
				return Errorf(EInvalid, "%s 的预计毕业时间 %s 必须晚于本团支部的毕业时间 %s。", m.Name, in.Month, o.GradMonth)
			}
			// R-D2: a marked member is not sent to 学社衔接, including by a
			// transfer already under way.
			if open, err := tx.OpenTransfer(m.IDNo); err == nil && open.ToOrg != 0 {
				to, err := tx.Org(open.ToOrg)
				if err != nil {
					return err
				}
				if to.Category == CatTransit {
					return Errorf(EConflict, "%s 正在转往学社衔接临时团支部（第 %d 号转接），标记为“%s”的团员不纳入学社衔接；请先退回该转接再标记。", m.Name, open.No, in.Mark)
				}
			} else if err != nil && !IsNotFound(err) {
				return err
			}
			before := Identity(m, o)
			m.Mark, m.MarkMonth, m.MarkReason, m.UpdatedAt = in.Mark, in.Month, in.Reason, s.now()
			if err := tx.UpdateMember(m); err != nil {
				return err
			}
			after := in.Mark
			if in.Month != "" {
				after += "，预计 " + in.Month + " 毕业，原因：" + in.Reason
			}
			if err := s.audit(tx, ss, Change{Action: ActMark, Object: m.Name + "（" + MaskID(m.IDNo) + "）", OrgID: o.ID, Member: m.IDNo, Before: before, After: after}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// UnmarkMembers revokes marks: the members become normal graduates with
// their branch's graduation time again (R-D3).
func (s *Service) UnmarkMembers(ctx context.Context, ss *Session, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, Errorf(EInvalid, "请勾选要撤销标记的团员。")
	}
	n := 0
	err := s.Store.Write(ctx, func(tx Tx) error {
		for _, raw := range ids {
			m, o, err := s.managedMember(tx, ss, raw)
			if err != nil {
				return err
			}
			if m.Mark == "" {
				return Errorf(EConflict, "%s 没有被标记为教师或延迟毕业团员，无需撤销。", m.Name)
			}
			before := m.Mark
			m.Mark, m.MarkMonth, m.MarkReason, m.UpdatedAt = "", "", "", s.now()
			if err := tx.UpdateMember(m); err != nil {
				return err
			}
			if err := s.audit(tx, ss, Change{Action: ActUnmark, Object: m.Name + "（" + MaskID(m.IDNo) + "）", OrgID: o.ID, Member: m.IDNo, Before: before, After: Identity(m, o)}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// Status changes (R-X4).
var StatusChanges = []string{StatusOverAge, StatusQuit, StatusExpelled, StatusRestored}

// SetStatus records a status change with date, reason and operator (R-X4):
// 超龄离团, 自愿退团 and 开除团籍 take the member off the active roster (the
// record and history stay); 恢复团籍 brings them back. 超龄离团 needs the
// member to be 28 by that date and not holding a League post.
func (s *Service) SetStatus(ctx context.Context, ss *Session, idNo, status, date, reason string) (Member, error) {
	var out Member
	err := s.Store.Write(ctx, func(tx Tx) (err error) {
		out, err = s.setStatus(tx, ss, idNo, status, date, reason)
		return err
	})
	return out, err
}

// setStatus checks and records one status change inside tx.
func (s *Service) setStatus(tx Tx, ss *Session, idNo, status, date, reason string) (Member, error) {
	status = strings.TrimSpace(status)
	reason, err := CleanLines("原因", reason)
	if err != nil {
		return Member{}, err
	}
	if !contains(StatusChanges, status) {
		return Member{}, Errorf(EInvalid, "状态只能是 %s。", strings.Join(StatusChanges, "、"))
	}
	date = strings.TrimSpace(date)
	d, err := time.ParseInLocation("2006-01-02", date, Shanghai)
	if err != nil {
		return Member{}, Errorf(EInvalid, "日期应写成 2026-06-30 的形式。")
	}
	if d.After(s.now()) {
		return Member{}, Errorf(EInvalid, "日期 %s 晚于今天，请核对。", date)
	}
	if reason == "" && status != StatusOverAge {
		return Member{}, Errorf(EInvalid, "请填写%s的原因。", status)
	}
	m, o, err := s.managedMember(tx, ss, idNo)
	if err != nil {
		return Member{}, err
	}
	// The date cannot come before the member joined, nor before the change
	// it follows.
	if m.JoinMonth != "" && date[:7] < m.JoinMonth {
		return Member{}, Errorf(EInvalid, "日期 %s 早于 %s 的入团年月 %s，请核对。", date, m.Name, m.JoinMonth)
	}
	if b := m.Info().Birth; !b.IsZero() && d.Before(b) {
		return Member{}, Errorf(EInvalid, "日期 %s 早于 %s 的出生日期，请核对。", date, m.Name)
	}
	if hist, err := tx.StatusHistory(m.IDNo); err != nil {
		return Member{}, err
	} else if n := len(hist); n > 0 && date < hist[n-1].Date {
		return Member{}, Errorf(EInvalid, "日期 %s 早于上一次团籍变动（%s %s），请核对。", date, hist[n-1].Status, hist[n-1].Date)
	}
	switch {
	case status == StatusRestored && m.Status == StatusActive:
		return Member{}, Errorf(EConflict, "%s 现在在团，无需恢复团籍。", m.Name)
	case status != StatusRestored && m.Status != StatusActive:
		return Member{}, Errorf(EConflict, "%s 的团籍状态已是“%s”，如需更正请先恢复团籍。", m.Name, m.Status)
	case status == StatusOverAge:
		if age := AgeAt(m.Info().Birth, d); age < 28 {
			return Member{}, Errorf(EConflict, "%s 在 %s 时 %d 周岁，未满 28 周岁，不能办理超龄离团。", m.Name, date, age)
		}
		if m.IsCadre && m.Post != "" {
			return Member{}, Errorf(EConflict, "%s 担任团内职务（%s），超龄后仍保留团籍，不办理超龄离团。", m.Name, m.Post)
		}
	}
	if open, err := tx.OpenTransfer(m.IDNo); err == nil && open.IsOpen() && status != StatusRestored {
		return Member{}, Errorf(EConflict, "%s 有正在办理的组织关系转接（第 %d 号），请先办结或退回。", m.Name, open.No)
	}
	before := m.Status
	m.Status = status
	if status == StatusRestored {
		m.Status = StatusActive
	}
	m.UpdatedAt = s.now()
	if err := tx.UpdateMember(m); err != nil {
		return Member{}, err
	}
	if err := tx.InsertStatus(m.IDNo, status, date, reason, ss.Account.IDNo, s.now()); err != nil {
		return Member{}, err
	}
	return m, s.audit(tx, ss, Change{Action: status, Object: m.Name + "（" + MaskID(m.IDNo) + "）", OrgID: o.ID, Member: m.IDNo, Before: before, After: status + " " + date + " " + reason})
}

// OverAge lists the members in the League under org who reach 28 in the
// given year, except those holding a League post (R-X4).
func (s *Service) OverAge(ctx context.Context, ss *Session, orgID int64, year int) ([]Member, error) {
	var out []Member
	err := s.ListMembers(ctx, ss, MemberQuery{OrgID: orgID}, func(m Member) error {
		b := m.Info().Birth
		if b.Year()+28 <= year && !(m.IsCadre && m.Post != "") {
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// LeaveOverAge records 超龄离团 on date for the members under org who are
// 28 by then and hold no League post (R-X4), in one transaction; those who
// reach 28 later in the year are left for later. It returns how many left
// and how many wait.
func (s *Service) LeaveOverAge(ctx context.Context, ss *Session, orgID int64, date string) (left, later int, err error) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(date), Shanghai)
	if err != nil {
		return 0, 0, Errorf(EInvalid, "日期应写成 2026-06-30 的形式。")
	}
	list, err := s.OverAge(ctx, ss, orgID, d.Year())
	if err != nil {
		return 0, 0, err
	}
	var due []string
	for _, m := range list {
		if AgeAt(m.Info().Birth, d) >= 28 {
			due = append(due, m.IDNo)
		} else {
			later++
		}
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		for _, id := range due {
			if _, err := s.setStatus(tx, ss, id, StatusOverAge, date, "年满 28 周岁"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return len(due), later, nil
}

// Error kinds of R-E1.
const (
	ErrorIDKind   = "身份证信息录入错误"
	ErrorNameKind = "姓名录入错误"
)

// ReportError marks a member whose 身份证号 (kind 身份证) or 姓名 (kind 姓名)
// was entered wrongly, for 附件3 (R-E1).
func (s *Service) ReportError(ctx context.Context, ss *Session, idNo, kind string) (Member, error) {
	switch strings.TrimSpace(kind) {
	case "身份证", "身份证号", ErrorIDKind:
		kind = ErrorIDKind
	case "姓名", ErrorNameKind:
		kind = ErrorNameKind
	default:
		return Member{}, Errorf(EInvalid, "错误类型只能是“身份证”或“姓名”。")
	}
	var out Member
	err := s.Store.Write(ctx, func(tx Tx) error {
		m, err := s.member(tx, ss, idNo)
		if err != nil {
			return err
		}
		if _, err := s.manageable(tx, ss, m.OrgID); err != nil {
			return err
		}
		before := m.ErrorKind
		m.ErrorKind, m.UpdatedAt = kind, s.now()
		if err := tx.UpdateMember(m); err != nil {
			return err
		}
		out = m
		return s.audit(tx, ss, Change{Action: ActReportError, Object: m.Name + "（" + MaskID(m.IDNo) + "）", OrgID: m.OrgID, Member: m.IDNo, Before: before, After: kind})
	})
	return out, err
}

// ErrorReport returns the rows of 附件3 for the session's organizations (R-E1).
func (s *Service) ErrorReport(ctx context.Context, ss *Session) ([]ErrorReportRow, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	if !ss.IsAdmin() {
		return nil, Errorf(EForbidden, "只有组织管理员才能导出信息录入错误团员汇总表。")
	}
	var out []ErrorReportRow
	err := s.Store.Read(ctx, func(tx Tx) error {
		paths := []string{}
		if ss.Owner {
			paths = append(paths, "/")
		} else {
			for _, a := range ss.Orgs {
				paths = append(paths, a.Path)
			}
		}
		seen := map[string]bool{}
		for _, p := range paths {
			list, err := tx.ErrorMembers(p)
			if err != nil {
				return err
			}
			for _, m := range list {
				if !seen[m.IDNo] {
					seen[m.IDNo] = true
					out = append(out, ErrorReportRow{Org: m.OrgName, Name: m.Name, IDNo: m.IDNo, Remark: m.ErrorKind})
				}
			}
		}
		return nil
	})
	return out, err
}

// ConfirmDeleted records that the upper level deleted a wrongly entered
// member (R-E1): the member leaves the roster, the whole record is kept in
// history, and the branch may enter the person again with correct data.
// The college reports to the school, which has the deletion done: only an
// administrator of the school committee above the member (the topmost 团委,
// schoolOf) or of an organization above it confirms, never the branch or
// college that reported (issue 10, item 3).
func (s *Service) ConfirmDeleted(ctx context.Context, ss *Session, idNo string) (Member, error) {
	var out Member
	err := s.Store.Write(ctx, func(tx Tx) error {
		m, o, err := s.managedMember(tx, ss, idNo)
		if err != nil {
			return err
		}
		school, err := schoolOf(tx, o)
		if err != nil {
			return fmt.Errorf("school of %d: %w", o.ID, err)
		}
		if !ss.CanManage(school) { // the school committee itself, or the owner
			return Errorf(EForbidden, "信息录入错误团员的删除须由校团委“%s”确认：请导出附件3 报送校团委，由校团委管理员点“确认已删除”，之后再由团支部用正确信息重新录入。", school.FullName)
		}
		if m.ErrorKind == "" {
			return Errorf(EConflict, "%s 没有上报为信息录入错误，不能确认删除。请先上报（身份证或姓名录入错误）。", m.Name)
		}
		if open, err := tx.OpenTransfer(m.IDNo); err == nil && open.IsOpen() {
			return Errorf(EConflict, "%s 有正在办理的组织关系转接（第 %d 号），请先办结或退回。", m.Name, open.No)
		}
		if err := tx.InsertMemberHistory(m, o.FullName, m.ErrorKind, ss.Account.IDNo, s.now()); err != nil {
			return err
		}
		if err := tx.DeleteMember(m.IDNo); err != nil {
			return fmt.Errorf("confirm deleted: %w", err)
		}
		out = m
		return s.audit(tx, ss, Change{Action: ActConfirmDeleted, Object: m.Name + "（" + MaskID(m.IDNo) + "）", OrgID: o.ID, Member: m.IDNo, Before: m.ErrorKind, After: "已移出团员名单，记录保留在历史中"})
	})
	return out, err
}

// managedMember returns a member and its organization for an administrator
// who manages that organization.
func (s *Service) managedMember(tx Tx, ss *Session, idNo string) (Member, Org, error) {
	m, err := s.member(tx, ss, idNo)
	if err != nil {
		return Member{}, Org{}, err
	}
	o, err := s.manageable(tx, ss, m.OrgID)
	return m, o, err
}
