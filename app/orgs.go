package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// RootOrgs returns the organizations at the top of the session's tree: every
// top-level organization for the store owner, else the administered ones.
func (s *Service) RootOrgs(ctx context.Context, ss *Session) ([]Org, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	var out []Org
	err := s.Store.Read(ctx, func(tx Tx) error {
		if ss.Owner {
			all, err := tx.Children(0)
			if err != nil {
				return err
			}
			rootID, err := s.rootID(tx)
			if err != nil {
				return err
			}
			// The store's own root first, then the outside organizations.
			for _, o := range all {
				if o.ID == rootID {
					out = append(out, o)
				}
			}
			for _, o := range all {
				if o.ID != rootID {
					out = append(out, o)
				}
			}
			return nil
		}
		for _, a := range ss.Roots() {
			o, err := tx.Org(a.ID)
			if err != nil {
				return err
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// Org returns an organization the session may see.
func (s *Service) Org(ctx context.Context, ss *Session, id int64) (o Org, err error) {
	err = s.Store.Read(ctx, func(tx Tx) error { o, err = s.manageable(tx, ss, id); return err })
	return o, err
}

// Children returns the child organizations of id with their member counts.
func (s *Service) Children(ctx context.Context, ss *Session, id int64) (out []Org, err error) {
	err = s.Store.Read(ctx, func(tx Tx) error {
		if _, err := s.manageable(tx, ss, id); err != nil {
			return err
		}
		out, err = tx.Children(id)
		return err
	})
	return out, err
}

// ResolveOrg finds an organization by a numeric ID or a path of names joined
// by "/" from the top level.
func (s *Service) ResolveOrg(ctx context.Context, ss *Session, ref string) (Org, error) {
	if err := ready(ss); err != nil {
		return Org{}, err
	}
	ref = strings.Trim(strings.TrimSpace(ref), "/")
	if ref == "" {
		return Org{}, Errorf(EInvalid, "请指定组织：用“/”连接的组织全称路径，或组织编号。")
	}
	var o Org
	err := s.Store.Read(ctx, func(tx Tx) error {
		if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
			o, err = tx.Org(id)
			if ErrorCode(err) == ENotFound {
				return Errorf(ENotFound, "没有编号为 %d 的组织，请核对组织编号。", id)
			}
			return err
		}
		var parent int64
		for _, name := range strings.Split(ref, "/") {
			c, err := tx.OrgByName(parent, strings.TrimSpace(name))
			if ErrorCode(err) == ENotFound {
				return Errorf(ENotFound, "找不到组织“%s”（路径中的“%s”不存在），请核对组织路径。", ref, name)
			}
			if err != nil {
				return err
			}
			parent = c.ID
		}
		var err error
		o, err = tx.Org(parent)
		return err
	})
	if err != nil {
		return Org{}, err
	}
	if o.ID == 0 {
		return Org{}, Errorf(ENotFound, "找不到组织“%s”，请核对组织路径。", ref)
	}
	return o, nil
}

// AddOrg adds an organization under in.ParentID (0: top level, the store
// owner only) and returns it with the R-X5 warnings for a branch.
func (s *Service) AddOrg(ctx context.Context, ss *Session, in NewOrg) (Org, []string, error) {
	var o Org
	err := s.Store.Write(ctx, func(tx Tx) error {
		var parent *Org
		if in.ParentID != 0 {
			p, err := s.manageable(tx, ss, in.ParentID)
			if err != nil {
				return err
			}
			parent = &p
		} else {
			if err := ready(ss); err != nil {
				return err
			}
			if !ss.Owner {
				return Errorf(EForbidden, "只有校级（根组织）管理员才能添加顶层组织，请在本组织下添加下级组织。")
			}
		}
		v, err := ValidateNewOrg(in, parent)
		if err != nil {
			return err
		}
		if _, err := tx.OrgByName(v.ParentID, v.Name); err == nil {
			return Errorf(EConflict, "同一上级组织下已有名为“%s”的组织，请换一个名称。", v.Name)
		} else if ErrorCode(err) != ENotFound {
			return err
		}
		o = Org{ParentID: v.ParentID, Name: v.Name, Kind: v.Kind, Category: v.Category, Province: v.Province, Remark: v.Remark, CreatedAt: s.now()}
		if err := tx.InsertOrg(&o); err != nil {
			return err
		}
		if o, err = tx.Org(o.ID); err != nil {
			return err
		}
		return s.audit(tx, ss, Change{Action: ActAddOrg, Object: o.FullName, OrgID: o.ID, After: o.Kind + " " + o.Category})
	})
	if err != nil {
		return Org{}, nil, err
	}
	return o, BranchWarnings(o), nil
}

// RenameOrg renames an organization.
func (s *Service) RenameOrg(ctx context.Context, ss *Session, id int64, name string) (Org, error) {
	return s.renameOrg(ctx, ss, id, "", name)
}

// renameOrg is RenameOrg checking version v when set (changes.go).
func (s *Service) renameOrg(ctx context.Context, ss *Session, id int64, v RecordVersion, name string) (Org, error) {
	var o Org
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		if o, err = s.manageable(tx, ss, id); err != nil {
			return err
		}
		if err := checkOrgVersion(tx, o, v); err != nil {
			return err
		}
		n, err := ValidateOrgName(name)
		if err != nil {
			return err
		}
		if n == o.Name {
			return nil
		}
		if _, err := tx.OrgByName(o.ParentID, n); err == nil {
			return Errorf(EConflict, "同一上级组织下已有名为“%s”的组织，请换一个名称。", n)
		} else if ErrorCode(err) != ENotFound {
			return err
		}
		before := o.FullName
		o.Name = n
		if err := tx.UpdateOrg(o); err != nil {
			return err
		}
		if o, err = tx.Org(id); err != nil {
			return err
		}
		return s.audit(tx, ss, Change{Action: ActRenameOrg, Object: o.FullName, OrgID: o.ID, Before: before, After: o.FullName})
	})
	return o, err
}

// DeleteOrg deletes an organization with no members and no child
// organizations (R-O4). The root organization cannot be deleted.
func (s *Service) DeleteOrg(ctx context.Context, ss *Session, id int64) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		o, err := s.manageable(tx, ss, id)
		if err != nil {
			return err
		}
		rootID, err := s.rootID(tx)
		if err != nil {
			return err
		}
		switch {
		case o.ID == rootID:
			return Errorf(EConflict, "“%s”是本系统的根组织，不能删除。", o.Name)
		case o.ChildCount > 0:
			return Errorf(EConflict, "“%s”下还有 %d 个下级组织，请先删除或转移下级组织。", o.Name, o.ChildCount)
		case o.MemberCount > 0:
			return Errorf(EConflict, "“%s”还有 %d 名团员，不能删除。请先由其直属上级在团员列表中删除或转出这些成员，人数清空后再删除支部。", o.Name, o.MemberCount)
		}
		if !ss.Owner {
			// R-O4: deletion is done by a superior, never by the organization itself.
			self := false
			for _, a := range ss.Orgs {
				if a.ID == o.ID {
					self = true
				}
			}
			if self && !ss.coveredAbove(o) {
				return Errorf(EForbidden, "组织不能删除自己，请由“%s”的直属上级组织删除。", o.Name)
			}
		}
		n, err := tx.CountMembers(MemberQuery{OrgID: o.ID, IncludeLeft: true})
		if err != nil {
			return err
		}
		if n > 0 {
			return Errorf(EConflict, "“%s”还保留着 %d 名已离团成员的历史记录，不能删除，以免丢失历史；这个团支部可以保留不用（或改名注明“已停用”）。", o.Name, n)
		}
		if err := tx.DeleteOrg(o.ID); err != nil {
			return fmt.Errorf("delete org %d: %w", o.ID, err)
		}
		return s.audit(tx, ss, Change{Action: ActDeleteOrg, Object: o.FullName, OrgID: o.ParentID, Before: o.Kind + " " + o.Category})
	})
}

// OrgSearch is the input of FindOrgs.
type OrgSearch struct {
	Text  string
	Scope string // 北京, 广东, 福建, 否 (or ""), 全部
	Under int64  // only this organization's subtree; 0: everywhere
	Limit int    // 0: no limit
}

// FindOrgs searches organizations by name within a province scope (R-O3):
// scope 北京, 广东 or 福建 shows only that province; 否 or "" shows every
// organization except those three; "全部" shows all.
func (s *Service) FindOrgs(ctx context.Context, ss *Session, q OrgSearch) ([]Org, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	scope := q.Scope
	var in, ex []string
	switch scope {
	case "北京", "广东", "福建":
		in = []string{scope}
	case "否", "":
		ex = SeparateProvinces
	case "全部":
	default:
		return nil, Errorf(EInvalid, "范围“%s”不正确：转入组织属于北京、广东或福建时填该省（市），否则填“否”。", scope)
	}
	var out []Org
	err := s.Store.Read(ctx, func(tx Tx) error {
		f := OrgFilter{Text: strings.TrimSpace(q.Text), Provinces: in, Exclude: ex, Limit: q.Limit}
		if q.Under != 0 {
			under, err := tx.Org(q.Under)
			if err != nil {
				return err
			}
			f.UnderPath = under.Path
		}
		var err error
		out, err = tx.FindOrgs(f)
		return err
	})
	return out, err
}
