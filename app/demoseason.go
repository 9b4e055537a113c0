package app

import (
	"fmt"
	"time"
)

// Outside organizations of the demo (R-W1): where its graduates went and
// where its freshmen came from.
var (
	demoPKU     = OutsideInput{Name: "共青团北京燕园科技大学计算机学院委员会", Province: "北京", Kind: KindCommittee, Address: "北京市海淀区燕园路 1 号", Contact: "王老师", Phone: "010-62750000"}
	demoJL      = OutsideInput{Name: "共青团江苏金陵师范大学教育科学学院委员会", Province: "江苏", Kind: KindCommittee, Address: "南京市鼓楼区宁海路 122 号"}
	demoCompany = OutsideInput{Name: "共青团杭州未来科技有限公司委员会", Province: "浙江", Kind: KindCommittee, Address: "杭州市余杭区文一西路 969 号"}
	demoStreet  = OutsideInput{Name: "西湖区文新街道学社衔接临时团支部", Province: "浙江", Kind: KindBranch, Address: "杭州市西湖区文新街道"}
	demoGZ      = OutsideInput{Name: "共青团广州珠江大学管理学院委员会", Province: "广东", Kind: KindCommittee}
	demoHigh    = OutsideInput{Name: "杭州市第十四中学团委", Province: "浙江", Kind: KindCommittee, Address: "杭州市凤起路 178 号"}
	demoZJU     = OutsideInput{Name: "共青团浙江求是大学研究生院委员会", Province: "浙江", Kind: KindCommittee}
)

// demoSeason plays the last graduation season and this autumn on the
// demo, through the use cases, so that the store looks like a school's
// store in use (R-W1..R-W6): graduates transferred out to outside
// organizations (recorded, by default, with a letter), one kept at school,
// one abroad on the register, some not started; a graduated branch
// emptied and deleted; a 参军入伍 member gone to the special library; a
// freshman received from a high school; steps waiting for outside answers.
// The clock is moved to each event's day and put back at the end.
func (s *Service) demoSeason(tx Tx, rootID int64, cols map[int]*Org, graduated []*Org, season, year int, res *DemoResult) error {
	real := s.now()
	orig := s.Now
	defer func() { s.Now = orig }()
	root, err := tx.Org(rootID)
	if err != nil {
		return err
	}
	p := &demoPlay{s: s, tx: tx, root: root, real: real, cur: real, season: season, year: year, res: res,
		ss: &Session{Account: Account{IDNo: DemoAdminID, Name: res.AdminName}, Orgs: []Org{root}, Owner: true}}
	s.Now = func() time.Time { return p.cur }
	if len(graduated) > 0 {
		if err := p.mixedBranch(graduated[0]); err != nil {
			return err
		}
	}
	if len(graduated) > 1 {
		if err := p.emptiedBranch(graduated[1]); err != nil {
			return err
		}
	}
	if c := cols[0]; c != nil {
		if err := p.freshmen(c); err != nil {
			return err
		}
	}
	if c := cols[2]; c != nil {
		if err := p.waiting(c); err != nil {
			return err
		}
	}
	p.cur = real
	if _, err := tx.RemindSteps(real.AddDate(0, 0, -RemindDays), real); err != nil {
		return err
	}
	return nil
}

// demoPlay is demoSeason under way: the school's owner acting, and the
// clock (cur) moved to each event's day.
type demoPlay struct {
	s            *Service
	tx           Tx
	ss           *Session
	root         Org
	real, cur    time.Time
	season, year int
	res          *DemoResult
}

// on moves the clock to 10:00 on a day.
func (p *demoPlay) on(y int, m time.Month, d int) { p.cur = time.Date(y, m, d, 10, 0, 0, 0, Shanghai) }

// members are the first n members of an organization (all for 0).
func (p *demoPlay) members(orgID int64, n int) ([]Member, error) {
	var out []Member
	err := p.tx.Members(MemberQuery{OrgID: orgID, Limit: n}, func(m Member) error { out = append(out, m); return nil })
	return out, err
}

// out starts a member's transfer out, as its organization, to an outside
// organization (kept in the directory) or none.
func (p *demoPlay) out(m Member, in TransferInput) (Transfer, error) {
	from, err := p.tx.Org(m.OrgID)
	if err != nil {
		return Transfer{}, err
	}
	var to *Org
	if in.Outside != nil {
		o, err := p.s.outside(p.tx, p.ss, *in.Outside, in.Scope, "浙江")
		if err != nil {
			return Transfer{}, err
		}
		to = &o
	}
	v, err := ValidateTransferInput(in, to)
	if err != nil {
		return Transfer{}, fmt.Errorf("demo transfer of %s: %w", m.Name, err)
	}
	return p.s.start(p.tx, p.ss, m, from, to, v, ByOutOrg)
}

// answer approves a transfer's open step, or records the outside side's
// approval learned on a day (R-W2).
func (p *demoPlay) answer(no int64, learned string) error {
	t, i, err := p.s.openStep(p.tx, p.ss, no, 0)
	if err != nil {
		return err
	}
	if t.Steps[i].Outside {
		return p.s.recordOutside(p.tx, p.ss, &t, i, OutsideAnswer{Approved: true, Date: learned})
	}
	return p.s.advance(p.tx, &t, i, OutcomeApproved, p.ss.Account.IDNo, "", p.s.now())
}

// demoStudy is a transfer to study at an outside organization.
func demoStudy(dest OutsideInput, unit string) TransferInput {
	d := dest
	return TransferInput{Reason: ReasonStudy, Unit: unit, Address: dest.Address + "（" + unit + "）", Outside: &d}
}

// mixedBranch plays last season in the first graduated branch: a mix,
// some not started.
func (p *demoPlay) mixedBranch(b *Org) error {
	list, err := p.members(b.ID, 12)
	if err != nil || len(list) < 8 {
		return err
	}
	season := p.season
	p.on(season, time.June, 2)
	t1, err := p.out(list[0], demoStudy(demoPKU, "北京燕园科技大学"))
	if err != nil {
		return err
	}
	if _, err := p.s.issueLetters(p.tx, p.ss, []int64{t1.No}, season, 5, 30, p.s.now()); err != nil {
		return err
	}
	job := demoCompany
	if _, err := p.out(list[1], TransferInput{Reason: ReasonJobWithOrg, Unit: "杭州未来科技有限公司", Address: job.Address, Outside: &job}); err != nil {
		return err
	}
	t3, err := p.out(list[2], demoStudy(demoJL, "江苏金陵师范大学"))
	if err != nil {
		return err
	}
	gz := demoGZ
	t4, err := p.out(list[3], TransferInput{Reason: ReasonStudy, Scope: "广东", Unit: "广州珠江大学", Address: "广州市海珠区", Outside: &gz})
	if err != nil {
		return err
	}
	p.on(season, time.June, 9)
	for _, a := range []struct {
		no  int64
		day string
	}{{t1.No, "06-08"}, {t3.No, "06-09"}, {t4.No, "06-07"}} {
		if err := p.answer(a.no, fmt.Sprintf("%d-%s", season, a.day)); err != nil {
			return err
		}
	}
	p.on(season, time.June, 20)
	if _, err := p.out(list[4], TransferInput{Reason: ReasonUnemployed, KeepMonths: MaxKeepMonths}); err != nil {
		return err
	}
	abroad, err := p.out(list[5], TransferInput{Reason: ReasonAbroadStudy, AbroadPlace: "英国 伦敦", AbroadPeriod: fmt.Sprintf("%d-09 至 %d-08", season, season+1),
		Contact: string([]rune(list[5].Name)[:1]) + "家长", ContactPhone: "13900000000"})
	if err != nil {
		return err
	}
	// list[6:] have not started: the ones at risk of 失联.
	return p.answer(abroad.No, "")
}

// emptiedBranch plays the second graduated branch: everybody gone, the
// branch deleted (R-O4, R-W3).
func (p *demoPlay) emptiedBranch(b *Org) error {
	list, err := p.members(b.ID, 0)
	if err != nil {
		return err
	}
	season := p.season
	p.on(season, time.June, 5)
	dests := []OutsideInput{demoPKU, demoJL, demoStreet, demoCompany}
	for i, m := range list {
		d := dests[i%len(dests)]
		in := demoStudy(d, "（升学）")
		if d.Name == demoStreet.Name {
			in = TransferInput{Reason: ReasonUnemployed, Address: "杭州市西湖区文新街道", Outside: &d}
		}
		if d.Province == "北京" {
			in.Scope = "北京"
		}
		t, err := p.out(m, in)
		if err != nil {
			return err
		}
		if i%3 != 2 { // the others stand approved by default after 15 days
			p.on(season, time.June, 12)
			if err := p.answer(t.No, fmt.Sprintf("%d-06-11", season)); err != nil {
				return err
			}
			p.on(season, time.June, 5)
		}
	}
	p.on(season, time.June, 25)
	if _, _, err := p.tx.DefaultDueSteps(p.s.now(), "15 天内未办理，系统默认通过"); err != nil {
		return err
	}
	gone, err := p.tx.Org(b.ID)
	if err != nil || gone.MemberCount != 0 {
		return nil
	}
	if err := p.tx.DeleteOrg(gone.ID); err != nil {
		return err
	}
	p.res.Orgs--
	return p.s.audit(p.tx, p.ss, Change{Action: ActDeleteOrg, Object: gone.FullName, OrgID: gone.ParentID, Before: gone.Kind + " " + gone.Category, After: "毕业生已全部转出"})
}

// freshmen plays this autumn: a freshman from a high school received into
// a class of the college (R-W4), another still waiting for the school.
func (p *demoPlay) freshmen(col *Org) error {
	kids, err := p.tx.FindOrgs(OrgFilter{UnderPath: col.Path, Text: fmt.Sprintf("%d级", p.year)})
	if err != nil {
		return err
	}
	var branch *Org
	for i := range kids {
		if kids[i].IsBranch() {
			branch = &kids[i]
			break
		}
	}
	if branch == nil {
		return nil
	}
	high := demoHigh
	for i, f := range []struct{ name, first17 string }{{"林晓", "33010620070815002"}, {"陈默", "33010520070321003"}} {
		id := f.first17 + string(IDCheckChar(f.first17))
		if _, err := p.tx.Member(id); err == nil {
			continue
		}
		p.on(p.year, time.September, 1)
		if i == 1 {
			p.cur = p.real.AddDate(0, 0, -3)
		}
		from, err := p.s.outside(p.tx, p.ss, high, "", "浙江")
		if err != nil {
			return err
		}
		v, err := ValidateTransferInput(TransferInput{Reason: ReasonStudy, Unit: unitName(p.root.Name), Address: "转入组织：" + branch.FullName, FromOutside: &high}, branch)
		if err != nil {
			return err
		}
		t, err := p.s.start(p.tx, p.ss, Member{IDNo: id, Name: f.name, Status: StatusActive}, from, branch, v, ByInOrg)
		if err != nil {
			return err
		}
		if i == 0 {
			p.on(p.year, time.September, 5)
			if err := p.answer(t.No, fmt.Sprintf("%d-09-04", p.year)); err != nil {
				return err
			}
		}
	}
	return nil
}

// waiting leaves steps waiting for outside answers now: a postgraduate
// admitted to a PhD programme (day 5) and one taking a job (day 12,
// reminded); a member enlisted (参军入伍), gone to the special library
// (R-W5).
func (p *demoPlay) waiting(col *Org) error {
	list, err := p.members(col.ID, 3)
	if err != nil || len(list) != 3 {
		return err
	}
	p.cur = p.real.AddDate(0, 0, -5)
	if _, err := p.out(list[0], demoStudy(demoZJU, "浙江求是大学")); err != nil {
		return err
	}
	p.cur = p.real.AddDate(0, 0, -12)
	job := demoCompany
	if _, err := p.out(list[1], TransferInput{Reason: ReasonJobWithOrg, Unit: "杭州未来科技有限公司", Address: job.Address, Outside: &job}); err != nil {
		return err
	}
	p.cur = p.real.AddDate(0, -2, 0)
	sp, err := p.out(list[2], TransferInput{Reason: ReasonSpecial})
	if err != nil {
		return err
	}
	if len(sp.Steps) > 0 && sp.Steps[0].Outside {
		p.cur = p.real.AddDate(0, -2, 6)
		return p.answer(sp.No, p.cur.Format("2006-01-02"))
	}
	return nil
}
