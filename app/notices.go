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
// entries (R-M3) and branches without a graduation mark (R-G1).
func (s *Service) Notices(ctx context.Context, ss *Session) ([]Notice, error) {
	if ss == nil {
		return nil, Errorf(EUnauthorized, "请先登录。")
	}
	now := s.now()
	var out []Notice
	if !ss.IsAdmin() {
		mine, err := s.ListTransfers(ctx, ss, false)
		if err != nil {
			return nil, err
		}
		for _, t := range mine {
			if t.IsOpen() {
				text := fmt.Sprintf("第 %d 号转接（%s）%s", t.No, t.Reason, t.State)
				if st, ok := t.Current(); ok {
					text += "：等待“" + st.OrgName + "”" + st.Kind
				}
				out = append(out, Notice{Kind: NoticeMine, Text: text, TransferNo: t.No, DaysLeft: -1})
			}
		}
		return out, nil
	}
	if err := ready(ss); err != nil {
		return nil, err
	}
	pending, err := s.ListTransfers(ctx, ss, true)
	if err != nil {
		return nil, err
	}
	for _, t := range pending {
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
		out = append(out, n)
	}
	err = s.Store.Read(ctx, func(tx Tx) error {
		var paths []string
		scopes := ss.Orgs
		if ss.Owner {
			rootID, err := s.rootID(tx)
			if err != nil {
				return err
			}
			root, err := tx.Org(rootID)
			if err != nil {
				return err
			}
			scopes = []Org{root}
		}
		for _, a := range scopes {
			paths = append(paths, a.Path)
		}
		kept, err := tx.Transfers(TransferFilter{UnderPaths: paths, OpenOnly: true})
		if err != nil {
			return err
		}
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
		for i, p := range paths {
			late, err := tx.LateEntries(p)
			if err != nil {
				return err
			}
			for _, l := range late {
				if ss.CanManage(l.Org) {
					out = append(out, Notice{Kind: NoticeLate, OrgID: l.Org.ID, DaysLeft: -1,
						Text: fmt.Sprintf("“%s”有 %d 名新发展团员在确定发展一个月后才录入", l.Org.FullName, l.Count)})
				}
			}
			if k, names, err := tx.CountIncomplete(p, 3); err != nil {
				return err
			} else if k > 0 {
				more := ""
				if k > len(names) {
					more = " 等"
				}
				out = append(out, Notice{Kind: NoticeIncomplete, OrgID: scopes[i].ID, DaysLeft: -1,
					Text: fmt.Sprintf("“%s”下 %d 名从校外转入的团员信息尚未补全（民族、文化程度、入团年月等）：%s%s", scopes[i].Name, k, strings.Join(names, "、"), more)})
			}
			n, names, err := tx.CountUnmarked(p, 3)
			if err != nil {
				return err
			}
			if n > 0 {
				more := ""
				if n > len(names) {
					more = " 等"
				}
				out = append(out, Notice{Kind: NoticeUnmarked, OrgID: scopes[i].ID, DaysLeft: -1,
					Text: fmt.Sprintf("“%s”下 %d 个团支部尚未标记毕业时间：%s%s", scopes[i].Name, n, strings.Join(names, "、"), more)})
			}
		}
		return nil
	})
	order := map[string]int{NoticeOverdue: 0, NoticeApprove: 1, NoticeOutside: 2, NoticeAssign: 3, NoticeKeepOver: 4, NoticeKeep: 5,
		NoticeIncomplete: 6, NoticeLate: 7, NoticeUnmarked: 8}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Kind] < order[out[j].Kind] })
	return out, err
}
