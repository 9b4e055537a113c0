package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"tuanwu/app"
)

// outsideJSON is an entry of the outside directory (R-W1) in --json output.
type outsideJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Province string `json:"province"`
	Address  string `json:"address,omitempty"`
	Contact  string `json:"contact,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Outside  bool   `json:"outside"`
}

func outsideOut(o app.Org) outsideJSON {
	kind := o.Kind
	if kind == "" {
		kind = app.KindOutside
	}
	return outsideJSON{ID: o.ID, Name: o.Name, Kind: kind, Province: o.Province, Address: o.Address, Contact: o.Contact, Phone: o.Phone, Outside: true}
}

// orgOutside is `org outside [--find TEXT] [--province-scope 北京|广东|福建|否]` (R-W1).
func (r *run) orgOutside(f flags) error {
	scope := f.one("--province-scope")
	if !f.set["--province-scope"] {
		scope = "全部"
	}
	list, err := r.svc.OutsideOrgs(r.ctx, r.sess, app.OutsideSearch{Text: f.one("--find"), Scope: scope})
	if err != nil {
		return err
	}
	out := make([]outsideJSON, len(list))
	for i, o := range list {
		out[i] = outsideOut(o)
	}
	return r.out(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "编号\t校外组织\t类型\t省份\t地址\t联系人\t电话")
		for _, o := range out {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.Name, o.Kind, o.Province, o.Address, o.Contact, o.Phone)
		}
		tw.Flush()
		fmt.Fprintf(w, "共 %d 个校外组织。\n", len(out))
	})
}

// leftJSON is what a member who transferred out carries (R-W3).
type leftJSON struct {
	LeftAt       string `json:"left_at"`
	Destination  string `json:"destination"`
	LeftFrom     string `json:"left_from"`
	LeftTransfer int64  `json:"left_transfer"`
	LeftLetters  []int  `json:"left_letters"`
}

// leftOut is the 已转出 part of a member's output, nil for one who is here.
func (r *run) leftOut(m app.Member) *leftJSON {
	if !m.Departed() {
		return nil
	}
	j := &leftJSON{LeftAt: day(m.LeftAt), Destination: m.LeftTo, LeftFrom: m.LeftFrom, LeftTransfer: m.LeftTransfer, LeftLetters: []int{}}
	if t, err := r.svc.TransferByNo(r.ctx, r.sess, m.LeftTransfer); err == nil {
		j.LeftLetters = append(j.LeftLetters, t.Letters...)
	}
	return j
}

// memberListLeft is `member list --org ORG --left` (R-W3): who transferred
// out from under ORG, newest first.
func (r *run) memberListLeft(q app.MemberQuery, fullIDs bool) error {
	var list []memberJSON
	add := func(m app.Member, o app.Org) error {
		j := memberOut(m, o, r.svc.Now())
		j.Left = r.leftOut(m)
		if !r.g.json && !fullIDs {
			j.IDNo = app.MaskID(j.IDNo) // as the window shows them (issue 10, item 5)
		}
		list = append(list, j)
		return nil
	}
	var err error
	switch {
	case r.g.json:
		_, err = r.svc.ListMembersFullIDs(r.ctx, r.sess, q, "member list --left --json", add)
	case fullIDs:
		_, err = r.svc.ListMembersFullIDs(r.ctx, r.sess, q, "member list --left --full-ids", add)
	default:
		err = r.svc.ListMembersWithOrg(r.ctx, r.sess, q, add)
	}
	if err != nil {
		return err
	}
	if list == nil {
		list = []memberJSON{}
	}
	return r.out(list, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "姓名\t身份证号\t转出日期\t转往\t原所在组织\t转接编号")
		for _, j := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", j.Name, j.IDNo, j.Left.LeftAt, j.Left.Destination, j.Left.LeftFrom, j.Left.LeftTransfer)
		}
		tw.Flush()
		fmt.Fprintf(w, "共 %d 名已转出团员。\n", len(list))
	})
}
