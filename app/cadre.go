package app

import (
	"context"
	"strings"
	"time"
)

// Cadre is a person entered as a cadre (团干部) of an organization (R-A2).
type Cadre struct {
	ID             int64
	OrgID          int64
	IDNo           string
	Name           string
	Post           string // 现任团内职务
	PostSince      string // 任现职年月 YYYY-MM
	Nature         string // 团干部性质
	PartyCommittee bool   // 是否同级党委（支部）成员
	Since          time.Time
	Ended          time.Time // zero while the post is held
}

// CadreInput is what 录入本级团干部 asks for.
type CadreInput struct {
	OrgID          int64
	IDNo           string
	Name           string
	Post           string
	PostSince      string
	Nature         string
	PartyCommittee bool
	// Version is the record's version as an edit form loaded it (changes.go); "": no check.
	Version RecordVersion
}

func validateCadre(in CadreInput, now time.Time) (CadreInput, error) {
	var err error
	if in.Name, err = ValidateName(in.Name); err != nil {
		return in, err
	}
	in.IDNo = NormalizeID(in.IDNo)
	if _, err := ParseID(in.IDNo, now); err != nil {
		return in, err
	}
	in.Post = strings.TrimSpace(in.Post)
	if in.Post == "" {
		return in, Errorf(EInvalid, "请选择团干部的现任团内职务（%s）。", strings.Join(Posts, "、"))
	}
	if !contains(Posts, in.Post) {
		return in, Errorf(EInvalid, "团内职务“%s”不在可选范围内，请从 %s 中选择。", in.Post, strings.Join(Posts, "、"))
	}
	if in.Nature != "" && !contains(CadreNatures, in.Nature) {
		return in, Errorf(EInvalid, "团干部性质“%s”不在可选范围内，请从 %s 中选择。", in.Nature, strings.Join(CadreNatures, "、"))
	}
	if in.PostSince, err = NormalizeMonth("任现职年月", in.PostSince); err != nil {
		return in, err
	}
	if in.PostSince != "" && in.PostSince > now.Format("2006-01") {
		return in, Errorf(EInvalid, "任现职年月 %s 晚于今天，请核对。", in.PostSince)
	}
	return in, nil
}

// AddCadre enters a person as a cadre (团干部) of an organization
// (录入本级团干部, R-A2). A person registered as a member must carry the
// same name; a person who already holds a post there is refused.
func (s *Service) AddCadre(ctx context.Context, ss *Session, in CadreInput) (Cadre, error) {
	in, err := validateCadre(in, s.now())
	if err != nil {
		return Cadre{}, err
	}
	var c Cadre
	err = s.Store.Write(ctx, func(tx Tx) error {
		o, err := s.manageable(tx, ss, in.OrgID)
		if err != nil {
			return err
		}
		m, err := tx.Member(in.IDNo)
		isMember := err == nil
		if isMember && m.Name != in.Name {
			return Errorf(EConflict, "身份证号 %s 已登记为“%s”，与填写的姓名“%s”不一致，请核对。", MaskID(in.IDNo), m.Name, in.Name)
		} else if err != nil && !IsNotFound(err) {
			return err
		}
		if a, err := tx.Account(in.IDNo); err == nil && a.Name != in.Name {
			return Errorf(EConflict, "身份证号 %s 的账号姓名为“%s”，与填写的姓名“%s”不一致，请核对。", MaskID(in.IDNo), a.Name, in.Name)
		} else if err != nil && !IsNotFound(err) {
			return err
		}
		cur, err := tx.Cadres(o.ID)
		if err != nil {
			return err
		}
		for _, x := range cur {
			if x.IDNo == in.IDNo {
				return Errorf(EConflict, "%s 已是“%s”的团干部（%s），如需调整职务请修改其任职信息。", in.Name, o.Name, x.Post)
			}
		}
		c = Cadre{OrgID: o.ID, IDNo: in.IDNo, Name: in.Name, Post: in.Post, PostSince: in.PostSince, Nature: in.Nature,
			PartyCommittee: in.PartyCommittee, Since: s.now()}
		if err := tx.InsertCadre(&c); err != nil {
			return err
		}
		// A cadre who is a member: the member record says so too (R-X2
		// 是否团干部, 现任团内职务 …), which keeps 超龄离团 off them (R-X4).
		if isMember && m.Status == StatusActive {
			m.IsCadre, m.Post, m.PostSince, m.CadreNature, m.PartyCommittee = true, in.Post, in.PostSince, in.Nature, in.PartyCommittee
			m.UpdatedAt = s.now()
			if err := tx.UpdateMember(m); err != nil {
				return err
			}
		}
		return s.audit(tx, ss, Change{Action: ActAddCadre, Object: o.FullName, OrgID: o.ID, Member: in.IDNo, After: in.Name + "（" + MaskID(in.IDNo) + "）" + in.Post})
	})
	return c, err
}

// Cadres returns the current cadres of an organization.
func (s *Service) Cadres(ctx context.Context, ss *Session, orgID int64) (out []Cadre, err error) {
	err = s.Store.Read(ctx, func(tx Tx) error {
		if _, err := s.manageable(tx, ss, orgID); err != nil {
			return err
		}
		out, err = tx.Cadres(orgID)
		return err
	})
	return out, err
}

// EditCadre changes a current cadre's post, 任现职年月, nature and party membership.
func (s *Service) EditCadre(ctx context.Context, ss *Session, id int64, in CadreInput) (Cadre, error) {
	var c Cadre
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.Cadre(id); err != nil {
			return err
		}
		if _, err := s.manageable(tx, ss, c.OrgID); err != nil {
			return err
		}
		if err := checkCadreVersion(tx, c, in.Version); err != nil {
			return err
		}
		if !c.Ended.IsZero() {
			return Errorf(EConflict, "%s 的这项任职已经结束，不能再修改。", c.Name)
		}
		in.OrgID, in.IDNo, in.Name = c.OrgID, c.IDNo, c.Name
		if in, err = validateCadre(in, s.now()); err != nil {
			return err
		}
		before := c.postText()
		c.Post, c.PostSince, c.Nature, c.PartyCommittee = in.Post, in.PostSince, in.Nature, in.PartyCommittee
		if c.postText() == before {
			return nil // nothing changed, nothing to record
		}
		if err := tx.UpdateCadre(c); err != nil {
			return err
		}
		return s.audit(tx, ss, Change{Action: ActEditCadre, Object: c.Name + "（" + MaskID(c.IDNo) + "）", OrgID: c.OrgID, Member: c.IDNo, Before: before, After: c.postText()})
	})
	return c, err
}

// postText is a cadre's post as the audit trail shows it (R-X6).
func (c Cadre) postText() string {
	party := ""
	if c.PartyCommittee {
		party = " 同级党委（支部）成员"
	}
	return c.Post + " " + c.PostSince + " " + c.Nature + party
}

// EndCadre ends a cadre's post; the record stays. An administrator's post
// cannot end while the administration lasts (R-A2).
func (s *Service) EndCadre(ctx context.Context, ss *Session, id int64) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		c, err := tx.Cadre(id)
		if err != nil {
			return err
		}
		o, err := s.manageable(tx, ss, c.OrgID)
		if err != nil {
			return err
		}
		if !c.Ended.IsZero() {
			return Errorf(EConflict, "%s 的这项任职已经结束。", c.Name)
		}
		admins, err := tx.Admins(o.ID)
		if err != nil {
			return err
		}
		for _, a := range admins {
			if a.IDNo == c.IDNo {
				return Errorf(EConflict, "%s 还是“%s”的管理员，请先在“管理员变更”中撤销其管理员身份，再结束任职。", c.Name, o.Name)
			}
		}
		c.Ended = s.now()
		if err := tx.UpdateCadre(c); err != nil {
			return err
		}
		// The member record drops the post it carried from this office.
		if m, err := tx.Member(c.IDNo); err == nil && m.IsCadre && m.Post == c.Post {
			m.IsCadre, m.Post, m.PostSince, m.CadreNature, m.PartyCommittee = false, "", "", "", false
			m.UpdatedAt = s.now()
			if err := tx.UpdateMember(m); err != nil {
				return err
			}
		} else if err != nil && !IsNotFound(err) {
			return err
		}
		return s.audit(tx, ss, Change{Action: ActEndCadre, Object: c.Name + "（" + MaskID(c.IDNo) + "）", OrgID: c.OrgID, Member: c.IDNo, Before: c.Post})
	})
}
