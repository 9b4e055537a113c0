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
	cur := real
	s.Now = func() time.Time { return cur }
	on := func(y int, m time.Month, d int) { cur = time.Date(y, m, d, 10, 0, 0, 0, Shanghai) }

	root, err := tx.Org(rootID)
	if err != nil {
		return err
	}
	ss := &Session{Account: Account{IDNo: DemoAdminID, Name: res.AdminName}, Orgs: []Org{root}, Owner: true}
	members := func(orgID int64, n int) ([]Member, error) {
		var out []Member
		err := tx.Members(MemberQuery{OrgID: orgID, Limit: n}, func(m Member) error { out = append(out, m); return nil })
		return out, err
	}
	out := func(m Member, in TransferInput) (Transfer, error) {
		from, err := tx.Org(m.OrgID)
		if err != nil {
			return Transfer{}, err
		}
		var to *Org
		if in.Outside != nil {
			o, err := s.outside(tx, ss, *in.Outside, in.Scope, "浙江")
			if err != nil {
				return Transfer{}, err
			}
			to = &o
		}
		v, err := ValidateTransferInput(in, to)
		if err != nil {
			return Transfer{}, fmt.Errorf("demo transfer of %s: %w", m.Name, err)
		}
		return s.start(tx, ss, m, from, to, v, ByOutOrg)
	}
	answer := func(no int64, learned string) error {
		t, i, err := s.openStep(tx, ss, no, 0)
		if err != nil {
			return err
		}
		if t.Steps[i].Outside {
			return s.recordOutside(tx, ss, &t, i, OutsideAnswer{Approved: true, Date: learned})
		}
		return s.advance(tx, &t, i, OutcomeApproved, ss.Account.IDNo, "", s.now())
	}
	study := func(dest OutsideInput, unit string) TransferInput {
		d := dest
		return TransferInput{Reason: ReasonStudy, Unit: unit, Address: dest.Address + "（" + unit + "）", Outside: &d}
	}

	// Last season, first graduated branch: a mix, some not started.
	if len(graduated) > 0 {
		list, err := members(graduated[0].ID, 12)
		if err != nil {
			return err
		}
		if len(list) >= 8 {
			on(season, time.June, 2)
			t1, err := out(list[0], study(demoPKU, "北京燕园科技大学"))
			if err != nil {
				return err
			}
			if _, err := s.issueLetters(tx, ss, []int64{t1.No}, season, 5, 30, s.now()); err != nil {
				return err
			}
			job := demoCompany
			if _, err := out(list[1], TransferInput{Reason: ReasonJobWithOrg, Unit: "杭州未来科技有限公司", Address: job.Address, Outside: &job}); err != nil {
				return err
			}
			t3, err := out(list[2], study(demoJL, "江苏金陵师范大学"))
			if err != nil {
				return err
			}
			gz := demoGZ
			t4, err := out(list[3], TransferInput{Reason: ReasonStudy, Scope: "广东", Unit: "广州珠江大学", Address: "广州市海珠区", Outside: &gz})
			if err != nil {
				return err
			}
			on(season, time.June, 9)
			if err := answer(t1.No, fmt.Sprintf("%d-06-08", season)); err != nil {
				return err
			}
			if err := answer(t3.No, fmt.Sprintf("%d-06-09", season)); err != nil {
				return err
			}
			if err := answer(t4.No, fmt.Sprintf("%d-06-07", season)); err != nil {
				return err
			}
			on(season, time.June, 20)
			if _, err := out(list[4], TransferInput{Reason: ReasonUnemployed, KeepMonths: MaxKeepMonths}); err != nil {
				return err
			}
			abroad, err := out(list[5], TransferInput{Reason: ReasonAbroadStudy, AbroadPlace: "英国 伦敦", AbroadPeriod: fmt.Sprintf("%d-09 至 %d-08", season, season+1),
				Contact: string([]rune(list[5].Name)[:1]) + "家长", ContactPhone: "13900000000"})
			if err != nil {
				return err
			}
			if err := answer(abroad.No, ""); err != nil {
				return err
			}
			// list[6:] have not started: the ones at risk of 失联.
		}
	}
	// Second graduated branch: everybody gone, the branch deleted (R-O4, R-W3).
	if len(graduated) > 1 {
		list, err := members(graduated[1].ID, 0)
		if err != nil {
			return err
		}
		on(season, time.June, 5)
		dests := []OutsideInput{demoPKU, demoJL, demoStreet, demoCompany}
		for i, m := range list {
			d := dests[i%len(dests)]
			in := study(d, "（升学）")
			if d.Name == demoStreet.Name {
				in = TransferInput{Reason: ReasonUnemployed, Address: "杭州市西湖区文新街道", Outside: &d}
			}
			if d.Province == "北京" {
				in.Scope = "北京"
			}
			t, err := out(m, in)
			if err != nil {
				return err
			}
			if i%3 != 2 { // the others stand approved by default after 15 days
				on(season, time.June, 12)
				if err := answer(t.No, fmt.Sprintf("%d-06-11", season)); err != nil {
					return err
				}
				on(season, time.June, 5)
			}
		}
		on(season, time.June, 25)
		if _, _, err := tx.DefaultDueSteps(s.now(), "15 天内未办理，系统默认通过"); err != nil {
			return err
		}
		if b, err := tx.Org(graduated[1].ID); err == nil && b.MemberCount == 0 {
			if err := tx.DeleteOrg(b.ID); err != nil {
				return err
			}
			res.Orgs--
			if err := s.audit(tx, ss, Change{Action: ActDeleteOrg, Object: b.FullName, OrgID: b.ParentID, Before: b.Kind + " " + b.Category, After: "毕业生已全部转出"}); err != nil {
				return err
			}
		}
	}
	// This autumn: a freshman from a high school received into a class of
	// the first college (R-W4), another still waiting for the school.
	if c := cols[0]; c != nil {
		var branch *Org
		kids, err := tx.FindOrgs(OrgFilter{UnderPath: c.Path, Text: fmt.Sprintf("%d级", year)})
		if err != nil {
			return err
		}
		for i := range kids {
			if kids[i].IsBranch() {
				branch = &kids[i]
				break
			}
		}
		if branch != nil {
			high := demoHigh
			for i, p := range []struct{ name, first17 string }{{"林晓", "33010620070815002"}, {"陈默", "33010520070321003"}} {
				id := p.first17 + string(IDCheckChar(p.first17))
				if _, err := tx.Member(id); err == nil {
					continue
				}
				on(year, time.September, 1)
				if i == 1 {
					cur = real.AddDate(0, 0, -3)
				}
				from, err := s.outside(tx, ss, high, "", "浙江")
				if err != nil {
					return err
				}
				v, err := ValidateTransferInput(TransferInput{Reason: ReasonStudy, Unit: unitName(root.Name), Address: "转入组织：" + branch.FullName, FromOutside: &high}, branch)
				if err != nil {
					return err
				}
				t, err := s.start(tx, ss, Member{IDNo: id, Name: p.name, Status: StatusActive}, from, branch, v, ByInOrg)
				if err != nil {
					return err
				}
				if i == 0 {
					on(year, time.September, 5)
					if err := answer(t.No, fmt.Sprintf("%d-09-04", year)); err != nil {
						return err
					}
				}
			}
		}
	}
	// Steps waiting for outside answers now: a postgraduate admitted to a
	// PhD programme (day 5) and one taking a job (day 12, reminded); a
	// member enlisted (参军入伍), gone to the special library (R-W5).
	if c := cols[2]; c != nil {
		list, err := members(c.ID, 3)
		if err != nil {
			return err
		}
		if len(list) == 3 {
			cur = real.AddDate(0, 0, -5)
			if _, err := out(list[0], study(demoZJU, "浙江求是大学")); err != nil {
				return err
			}
			cur = real.AddDate(0, 0, -12)
			job := demoCompany
			if _, err := out(list[1], TransferInput{Reason: ReasonJobWithOrg, Unit: "杭州未来科技有限公司", Address: job.Address, Outside: &job}); err != nil {
				return err
			}
			cur = real.AddDate(0, -2, 0)
			sp, err := out(list[2], TransferInput{Reason: ReasonSpecial})
			if err != nil {
				return err
			}
			if len(sp.Steps) > 0 && sp.Steps[0].Outside {
				cur = real.AddDate(0, -2, 6)
				if err := answer(sp.No, cur.Format("2006-01-02")); err != nil {
					return err
				}
			}
		}
	}
	cur = real
	if _, err := tx.RemindSteps(real.AddDate(0, 0, -RemindDays), real); err != nil {
		return err
	}
	return nil
}
