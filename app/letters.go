package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// issuerFor returns the committee that issues letters for a member of org:
// the nearest committee administered by the session that contains it (R-L1).
func issuerFor(ss *Session, org Org) (Org, bool) {
	var best Org
	for _, a := range ss.Orgs {
		if !a.IsBranch() && a.Contains(org) && len(a.Path) > len(best.Path) {
			best = a
		}
	}
	return best, best.ID != 0
}

// heading is a letter's heading for an issuing committee: the printed
// 共青团<school><college>委员会 with its parts and the committee's path.
func heading(tx Tx, issuer Org) (Letter, error) {
	top, err := schoolOf(tx, issuer)
	if err != nil {
		return Letter{}, err
	}
	l := Letter{School: unitName(top.Name), IssuerOrg: issuer.FullName}
	if top.ID != issuer.ID {
		l.College = unitName(issuer.Name)
	}
	l.Issuer = "共青团" + l.School + l.College + "委员会"
	return l, nil
}

// unitName is the unit a committee belongs to, from its name:
// 江苏金陵师范大学团委 → 江苏金陵师范大学, 共青团浙江省委员会 → 浙江省.
func unitName(n string) string {
	n = strings.TrimPrefix(n, "共青团")
	for _, suf := range []string{"委员会", "团委", "团工委", "团总支"} {
		n = strings.TrimSuffix(n, suf)
	}
	return n
}

// schoolOf returns the school committee above (or at) o: the topmost 团委 on
// its path, below any 团省委 or 团市委 the school sits under (R-O1); the top
// of the tree when there is none.
func schoolOf(tx Tx, o Org) (Org, error) {
	var top Org
	for i, part := range strings.Split(strings.Trim(o.Path, "/"), "/") {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return Org{}, fmt.Errorf("path %q of %d: %w", o.Path, o.ID, err)
		}
		a := o
		if id != o.ID {
			if a, err = tx.Org(id); err != nil {
				return Org{}, err
			}
		}
		if a.Kind == KindCommittee {
			return a, nil
		}
		if i == 0 {
			top = a
		}
	}
	if top.ID == 0 {
		return o, nil
	}
	return top, nil
}

// LetterOptions are the letter's variable parts.
type LetterOptions struct {
	Dues      string // 团费交至 YYYY-MM; default the current month
	ValidDays int    // 有效期限; default 30
}

// IssueLetters issues numbered 组织关系介绍信 for transfers (R-T7, R-L1,
// R-L2): one letter per receiving organization, numbered per issuing
// committee, never reused. The session must administer the committee above
// each member's organization.
func (s *Service) IssueLetters(ctx context.Context, ss *Session, nos []int64, opt LetterOptions) ([]Letter, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	if len(nos) == 0 {
		return nil, Errorf(EInvalid, "请选择要开具介绍信的转接。")
	}
	now := s.now()
	year, month := now.Year(), int(now.Month())
	if opt.Dues != "" {
		d, err := NormalizeMonth("团费交至", opt.Dues)
		if err != nil {
			return nil, err
		}
		t, _ := time.Parse("2006-01", d)
		year, month = t.Year(), int(t.Month())
		if d > now.Format("2006-01") {
			return nil, Errorf(EInvalid, "团费交至 %s 晚于本月，请核对。", d)
		}
	}
	if opt.ValidDays == 0 {
		opt.ValidDays = 30
	}
	if opt.ValidDays < 1 || opt.ValidDays > 365 {
		return nil, Errorf(EInvalid, "有效期限应为 1 到 365 天。")
	}
	var out []Letter
	err := s.Store.Write(ctx, func(tx Tx) (err error) {
		out, err = s.issueLetters(tx, ss, nos, year, month, opt.ValidDays, now)
		return err
	})
	return out, err
}

// issueLetters issues the letters of IssueLetters in tx.
func (s *Service) issueLetters(tx Tx, ss *Session, nos []int64, year, month, validDays int, now time.Time) ([]Letter, error) {
	var out []Letter
	type key struct{ issuer, to int64 }
	groups := map[key][]Transfer{}
	var order []key
	for _, no := range nos {
		t, err := tx.Transfer(no)
		if err != nil {
			return nil, err
		}
		if t.State == StateRejected || t.State == StateKept || t.State == StateKeptEnded || t.ToOrg == 0 {
			return nil, Errorf(EConflict, "第 %d 号转接%s，不能开具介绍信。", no, t.State)
		}
		from, err := tx.Org(t.FromOrg)
		if err != nil {
			return nil, err
		}
		issuer, ok := issuerFor(ss, from)
		if !ok {
			return nil, Errorf(EForbidden, "第 %d 号转接的团员不在您管理的团委之下，介绍信应由其所在学院团委开具。", no)
		}
		k := key{issuer.ID, t.ToOrg}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], t)
	}
	for _, k := range order {
		issuer, err := tx.Org(k.issuer)
		if err != nil {
			return nil, err
		}
		l, err := heading(tx, issuer)
		if err != nil {
			return nil, err
		}
		to, err := tx.Org(k.to)
		if err != nil {
			return nil, err
		}
		l.Recipient, l.DuesYear, l.DuesMonth, l.Date, l.ValidDays = recipientName(to), year, month, now, validDays
		for _, t := range groups[k] {
			l.Names = append(l.Names, t.Name)
			l.Transfers = append(l.Transfers, t.No)
		}
		if _, err := tx.InsertLetter(issuer.ID, &l, ss.Account.IDNo, l.Transfers, now); err != nil {
			return nil, err
		}
		out = append(out, l)
		if err := tx.AppendAudit(AuditEntry{At: now, Actor: ss.Account.IDNo, Action: ActIssueLetter, Object: issuer.FullName,
			OrgID: issuer.ID, After: "第 " + itoa(l.No) + " 号，致" + l.Recipient + "，" + strings.Join(l.Names, "、")}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// recipientName is how the letter addresses the receiving organization: the
// top-level organization's name followed by the target's, e.g.
// 北京燕园科技大学团委计算机学院团委 → 北京燕园科技大学计算机学院团委.
func recipientName(to Org) string {
	parts := strings.Split(to.FullName, "/")
	if len(parts) == 1 {
		return parts[0]
	}
	top := parts[0]
	for _, suf := range []string{"团委", "团工委"} {
		top = strings.TrimSuffix(top, suf)
	}
	return top + parts[len(parts)-1]
}

// Letters returns the letter register of the committees the session administers.
func (s *Service) Letters(ctx context.Context, ss *Session) ([]LetterRecord, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	if !ss.IsAdmin() {
		return nil, Errorf(EForbidden, "只有团委管理员才能查看介绍信登记。")
	}
	var out []LetterRecord
	err := s.Store.Read(ctx, func(tx Tx) error {
		var issuers []int64
		if !ss.Owner {
			for _, a := range ss.Orgs {
				issuers = append(issuers, a.ID)
			}
		}
		all, err := tx.Letters(issuers)
		if err != nil {
			return err
		}
		// The heading is not stored: it comes from the issuer, as printed.
		headings := map[int64]Letter{}
		for _, l := range all {
			o, err := tx.Org(l.IssuerOrg)
			if err != nil {
				return err
			}
			if !ss.Owner && !ss.CanManage(o) {
				continue
			}
			h, ok := headings[o.ID]
			if !ok {
				if h, err = heading(tx, o); err != nil {
					return err
				}
				headings[o.ID] = h
			}
			l.Letter.Issuer, l.Letter.School, l.Letter.College, l.Letter.IssuerOrg = h.Issuer, h.School, h.College, h.IssuerOrg
			l.Letter.Transfers = l.Transfers
			out = append(out, l)
		}
		return nil
	})
	return out, err
}

// VoidLetter voids the letter numbered no of an issuing committee the
// session administers (issuer 0: the only one with that number); the number
// stays used (R-L1).
func (s *Service) VoidLetter(ctx context.Context, ss *Session, no int, issuer int64, reason string) error {
	reason, err := CleanLines("作废原因", reason)
	if err != nil {
		return err
	}
	if reason == "" {
		return Errorf(EInvalid, "作废介绍信须填写原因。")
	}
	list, err := s.Letters(ctx, ss)
	if err != nil {
		return err
	}
	var match []LetterRecord
	for _, l := range list {
		if l.Letter.No == no && (issuer == 0 || l.IssuerOrg == issuer) {
			match = append(match, l)
		}
	}
	switch {
	case len(match) == 0:
		return Errorf(ENotFound, "没有找到您所在团委开具的第 %d 号介绍信。", no)
	case len(match) > 1:
		var names []string
		for _, l := range match {
			names = append(names, "“"+l.Issuer+"”")
		}
		return Errorf(EConflict, "%s都开具过第 %d 号介绍信，请指定是哪个团委开具的（命令行用 --issuer 组织）。", strings.Join(names, "、"), no)
	}
	l := match[0]
	return s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.VoidLetter(l.ID, reason, s.now()); err != nil {
			return err
		}
		return tx.AppendAudit(AuditEntry{At: s.now(), Actor: ss.Account.IDNo, Action: ActVoidLetter, Object: l.Issuer,
			OrgID: l.IssuerOrg, Before: "第 " + itoa(no) + " 号", After: "作废：" + reason})
	})
}
