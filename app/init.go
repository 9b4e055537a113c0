package app

import (
	"context"
	"strconv"
)

// Initialized reports whether the store already has its root organization.
func (s *Service) Initialized(ctx context.Context) (bool, error) {
	var n int
	err := s.Store.Read(ctx, func(tx Tx) (err error) { n, err = tx.CountOrgs(); return err })
	return n > 0, err
}

// InitInput is what a new store needs: the root organization and its first administrator.
type InitInput struct {
	OrgName   string
	Kind      string // default 团委
	Province  string
	AdminName string
	AdminID   string
	// Practice makes a practice store (练习数据): it accepts a chosen date
	// (--now) and the window shows a 练习数据 banner.
	Practice bool
}

// Init creates the root organization and its first administrator, who is
// entered as the organization's 书记 (R-A2) and gets an account with the
// initial password (R-A1). EConflict when the store is not empty.
func (s *Service) Init(ctx context.Context, in InitInput) (Org, error) {
	if in.Kind == "" {
		in.Kind = KindCommittee
	}
	no, err := ValidateNewOrg(NewOrg{Name: in.OrgName, Kind: in.Kind, Province: in.Province}, nil)
	if err != nil {
		return Org{}, err
	}
	if no.Kind == KindBranch {
		return Org{}, Errorf(EInvalid, "根组织不能是团支部，请选择团委、团工委或团省委等。")
	}
	name, err := ValidateName(in.AdminName)
	if err != nil {
		return Org{}, Errorf(EInvalid, "管理员%s", ErrorMessage(err))
	}
	id := NormalizeID(in.AdminID)
	if _, err := ParseID(id, s.now()); err != nil {
		return Org{}, Errorf(EInvalid, "管理员的%s", ErrorMessage(err))
	}
	hash, err := HashPassword(InitialPassword(id))
	if err != nil {
		return Org{}, err
	}
	var root Org
	err = s.Store.Write(ctx, func(tx Tx) error {
		n, err := tx.CountOrgs()
		if err != nil {
			return err
		}
		if n > 0 {
			return Errorf(EConflict, "这个存储已经建好了组织，不能再次初始化。请直接登录，或用 --db 指定一个新文件。")
		}
		root = Org{Name: no.Name, Kind: no.Kind, Province: no.Province, CreatedAt: s.now()}
		if err := tx.InsertOrg(&root); err != nil {
			return err
		}
		if err := tx.SetSetting("root_org", strconv.FormatInt(root.ID, 10)); err != nil {
			return err
		}
		if in.Practice {
			if err := tx.SetSetting(settingPractice, "1"); err != nil {
				return err
			}
		}
		return s.createAdmin(tx, nil, root, id, name, hash)
	})
	if err != nil {
		return Org{}, err
	}
	root.FullName = root.Name
	return root, nil
}

// createAdmin enters a person as 书记 of org, gives them an account when they
// have none, and makes them an administrator.
func (s *Service) createAdmin(tx Tx, ss *Session, org Org, id, name, hash string) error {
	c := Cadre{OrgID: org.ID, IDNo: id, Name: name, Post: "书记", Nature: "专职", Since: s.now()}
	if err := tx.InsertCadre(&c); err != nil {
		return err
	}
	if _, err := tx.Account(id); ErrorCode(err) == ENotFound {
		if err := tx.InsertAccount(Account{IDNo: id, Name: name, PassHash: hash, MustChange: true, CreatedAt: s.now()}); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if err := tx.InsertAdmin(org.ID, id, s.now()); err != nil {
		return err
	}
	return s.audit(tx, ss, Change{Action: ActAddAdmin, Object: org.Name, OrgID: org.ID, After: name + "（" + MaskID(id) + "）"})
}
