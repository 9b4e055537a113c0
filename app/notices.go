package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Notice kinds of the notification centre (操作中心, R-N1).
const (
	NoticeApprove  = "待审批"
	NoticeOverdue  = "超过10天未审批"
	NoticeAssign   = "待分配团支部"
	NoticeKeep     = "留校保留即将到期"
	NoticeKeepOver = "留校保留已超期"
	NoticeLate     = "新团员录入超期"
	NoticeUnmarked = "未标记毕业时间"
	NoticeMine     = "我的转接申请"
	// R-W2: an outside step whose answer the session records.
	NoticeOutside = "等待对方答复"
	// R-W4: people received from outside whose records are incomplete.
	NoticeIncomplete = "新转入团员信息待完善"
)

// Notice is one thing the signed-in account must do or know.
type Notice struct {
	Kind       string
	Text       string
	TransferNo int64 // the transfer to open, when the notice is about one
	OrgID      int64 // the organization to open, when the notice is about one
	DaysLeft   int   // days until a default approval or the end of keeping; -1: none
}

// Notices lists what the session must act on (R-N1): steps waiting (with
// days left), assignments waiting, steps open over 10 days, graduates kept
// at school nearing or past 6 months, branches with overdue new-member
// entries (R-M3) and branches without a graduation mark (R-G1). A member
// without an administrator's right sees their own open transfers.
func (s *Service) Notices(ctx context.Context, ss *Session) ([]Notice, error) {
	if ss == nil {
		return nil, Errorf(EUnauthorized, "请先登录。")
	}
	now := s.now()
	if !ss.IsAdmin() {
		return s.myNotices(ctx, ss)
	}
	if err := ready(ss); err != nil {
		return nil, err
	}
	pending, err := s.ListTransfers(ctx, ss, true)
	if err != nil {
		return nil, err
	}
	out := make([]Notice, 0, len(pending))
	for _, t := range pending {
		out = append(out, stepNotice(t, now))
	}
	err = s.Store.Read(ctx, func(tx Tx) error {
		scopes, err := s.noticeScopes(tx, ss)
		if err != nil {
			return err
		}
		for _, kind := range scopeNotices {
			list, err := kind(tx, ss, scopes, now)
			out = append(out, list...)
			if err != nil {
				return err
			}
		}
		return nil
	})
	order := map[string]int{NoticeOverdue: 0, NoticeApprove: 1, NoticeOutside: 2, NoticeAssign: 3, NoticeKeepOver: 4, NoticeKeep: 5,
		NoticeIncomplete: 6, NoticeLate: 7, NoticeUnmarked: 8}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Kind] < order[out[j].Kind] })
	return out, err
}

// myNotices are a member's own open transfers (我的转接申请) and where each waits.
func (s *Service) myNotices(ctx context.Context, ss *Session) ([]Notice, error) {
	mine, err := s.ListTransfers(ctx, ss, false)
	if err != nil {
		return nil, err
	}
	var out []Notice
	for _, t := range mine {
		if t.IsOpen() {
			text := fmt.Sprintf("第 %d 号转接（%s）%s", t.No, t.Reason, t.State)
			if st, ok := t.Current(); ok {
				text += fmt.Sprintf("：等待“%s”%s", st.OrgName, st.Kind)
			}
			out = append(out, Notice{Kind: NoticeMine, Text: text, TransferNo: t.No, DaysLeft: -1})
		}
	}
	return out, nil
}

// stepNotice is the notice of a transfer waiting for the session: its
// step to approve, assign or record the outside answer of, and whether it
// is overdue (R-T4, R-W2).
func stepNotice(t Transfer, now time.Time) Notice {
	st, _ := t.Current()
	n := Notice{TransferNo: t.No, DaysLeft: st.DaysLeft(now)}
	switch {
	case st.Outside && st.Due(now):
		n.Kind = NoticeOverdue
		n.Text = fmt.Sprintf("第 %d 号：%s 的%s（校外组织“%s”）已满 %d 天未答复，按规定系统默认通过，到期处理时记入办理过程", t.No, t.Name, st.Kind, st.OrgName, StepDays)
	case st.Outside && st.Overdue(now):
		n.Kind = NoticeOverdue
		n.Text = fmt.Sprintf("第 %d 号：%s 的%s已超过 %d 天未收到校外组织“%s”的答复，请联系对方；还剩 %d 天将系统默认通过", t.No, t.Name, st.Kind, RemindDays, st.OrgName, n.DaysLeft)
	case st.Outside:
		n.Kind = NoticeOutside
		n.Text = fmt.Sprintf("第 %d 号：%s（%s）等待“%s”的%s答复，收到后请记录；%d 天后默认通过", t.No, t.Name, t.Reason, st.OrgName, st.Kind, n.DaysLeft)
	case st.Kind == StepAssign:
		n.Kind = NoticeAssign
		n.Text = fmt.Sprintf("第 %d 号：%s 已转入“%s”，请分配到团支部（分配后才算办结）", t.No, t.Name, st.OrgName)
	case st.Due(now):
		n.Kind = NoticeOverdue
		n.Text = fmt.Sprintf("第 %d 号：%s 的%s已满 %d 天，按规定系统默认通过，到期处理时记入办理过程", t.No, t.Name, st.Kind, StepDays)
	case st.Overdue(now):
		n.Kind = NoticeOverdue
		n.Text = fmt.Sprintf("第 %d 号：%s 的%s已超过 %d 天未办理，还剩 %d 天将系统默认通过", t.No, t.Name, st.Kind, RemindDays, n.DaysLeft)
	default:
		n.Kind = NoticeApprove
		n.Text = fmt.Sprintf("第 %d 号：%s（%s）%s，还剩 %d 天", t.No, t.Name, t.Reason, st.Kind, n.DaysLeft)
	}
	return n
}

// noticeScopes are the organizations whose notices the session gets: the
// ones it administers, or the whole store for its owner.
func (s *Service) noticeScopes(tx Tx, ss *Session) ([]Org, error) {
	if !ss.Owner {
		return ss.Orgs, nil
	}
	rootID, err := s.rootID(tx)
	if err != nil {
		return nil, err
	}
	root, err := tx.Org(rootID)
	if err != nil {
		return nil, err
	}
	return []Org{root}, nil
}

// scopeNotices are the notices about the organizations a session
// administers, one function per kind, each given the session's scopes.
var scopeNotices = []func(tx Tx, ss *Session, scopes []Org, now time.Time) ([]Notice, error){
	keepNotices, lateNotices,
	countedNotices(NoticeIncomplete, Tx.CountIncomplete, "“%s”下 %d 名从校外转入的团员信息尚未补全（民族、文化程度、入团年月等）：%s"),
	countedNotices(NoticeUnmarked, Tx.CountUnmarked, "“%s”下 %d 个团支部尚未标记毕业时间：%s"),
}

// keepNotices: graduates kept at school (未就业, R-T2) whose keeping ends
// within 30 days or has ended.
func keepNotices(tx Tx, _ *Session, scopes []Org, now time.Time) ([]Notice, error) {
	kept, err := tx.Transfers(TransferFilter{UnderPaths: pathsOf(scopes), OpenOnly: true})
	if err != nil {
		return nil, err
	}
	var out []Notice
	for _, t := range kept {
		if t.State != StateKept {
			continue
		}
		until, err := time.ParseInLocation("2006-01-02", t.KeepUntil, Shanghai)
		if err != nil {
			continue
		}
		// Whole calendar days from today (the last day counts as 0).
		y, m, d := now.In(Shanghai).Date()
		days := int(until.Sub(time.Date(y, m, d, 0, 0, 0, 0, Shanghai)).Hours() / 24)
		switch {
		case days < 0:
			out = append(out, Notice{Kind: NoticeKeepOver, TransferNo: t.No, DaysLeft: 0,
				Text: fmt.Sprintf("%s 留校保留团组织关系已于 %s 到期，请尽快办理转出", t.Name, t.KeepUntil)})
		case days <= 30:
			out = append(out, Notice{Kind: NoticeKeep, TransferNo: t.No, DaysLeft: days,
				Text: fmt.Sprintf("%s 留校保留团组织关系将于 %s 到期（还剩 %d 天），请督促其落实去向后转出", t.Name, t.KeepUntil, days)})
		}
	}
	return out, nil
}

// lateNotices: branches the session manages whose new members were entered
// more than a month after they joined (R-M3).
func lateNotices(tx Tx, ss *Session, scopes []Org, _ time.Time) ([]Notice, error) {
	var out []Notice
	for _, scope := range scopes {
		late, err := tx.LateEntries(scope.Path)
		if err != nil {
			return out, err
		}
		for _, l := range late {
			if ss.CanManage(l.Org) {
				out = append(out, Notice{Kind: NoticeLate, OrgID: l.Org.ID, DaysLeft: -1,
					Text: fmt.Sprintf("“%s”有 %d 名新发展团员在确定发展一个月后才录入", l.Org.FullName, l.Count)})
			}
		}
	}
	return out, nil
}

// countedNotices makes the notices of a kind that count, under each
// scope, what is left to do and name the first three: people received
// from outside whose records are still incomplete (R-W4), branches without
// a graduation mark (R-G1). text takes the scope's name, the count and the
// names.
func countedNotices(kind string, count func(tx Tx, underPath string, names int) (int, []string, error), text string) func(Tx, *Session, []Org, time.Time) ([]Notice, error) {
	return func(tx Tx, _ *Session, scopes []Org, _ time.Time) ([]Notice, error) {
		var out []Notice
		for _, scope := range scopes {
			n, names, err := count(tx, scope.Path, 3)
			if err != nil {
				return out, err
			}
			if n > 0 {
				out = append(out, Notice{Kind: kind, OrgID: scope.ID, DaysLeft: -1, Text: fmt.Sprintf(text, scope.Name, n, firstNames(names, n))})
			}
		}
		return out, nil
	}
}

// firstNames joins the names shown of n, with 等 when there are more.
func firstNames(names []string, n int) string {
	if n > len(names) {
		return strings.Join(names, "、") + " 等"
	}
	return strings.Join(names, "、")
}

// pathsOf is the organizations' paths.
func pathsOf(orgs []Org) []string {
	var paths []string
	for _, o := range orgs {
		paths = append(paths, o.Path)
	}
	return paths
}
