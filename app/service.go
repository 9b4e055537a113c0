package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Shanghai is the time zone every date of the application is in.
var Shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// Service holds the use cases. The window and the headless commands call
// nothing else.
type Service struct {
	Store Store
	// Now returns the current time; tests and --now replace it.
	Now func() time.Time
}

// NewService returns a Service over store with the real clock.
func NewService(store Store) *Service {
	return &Service{Store: store, Now: func() time.Time { return time.Now().In(Shanghai) }}
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().In(Shanghai)
	}
	return s.Now()
}

// Session is a signed-in account with what it may act on.
type Session struct {
	Account Account
	Orgs    []Org // organizations it administers
	Owner   bool  // administers the store's root: may act on every organization
}

// CanManage reports whether the session may act on organization o (R-A4).
func (ss *Session) CanManage(o Org) bool {
	if ss == nil || o.Outside {
		return false
	}
	if ss.Owner {
		return true
	}
	for _, a := range ss.Orgs {
		if a.Contains(o) {
			return true
		}
	}
	return false
}

func (ss *Session) actor() string {
	if ss == nil {
		return "系统"
	}
	return ss.Account.IDNo
}

func (s *Service) audit(tx Tx, ss *Session, action, object string, orgID int64, member, before, after string) error {
	return tx.AppendAudit(AuditEntry{At: s.now(), Actor: ss.actor(), Action: action, Object: object, OrgID: orgID, Member: member, Before: before, After: after})
}

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
	return s.audit(tx, ss, "添加管理员", org.Name, org.ID, "", "", name+"（"+MaskID(id)+"）")
}

// lockFor returns how long an account waits after failed sign-ins: from the
// fifth failure 1 minute, doubling each time, at most a day.
func lockFor(failed int) time.Duration {
	if failed < 5 {
		return 0
	}
	d := time.Minute << uint(min(failed-5, 11))
	return min(d, 24*time.Hour)
}

// SignIn checks an account's password and returns its session. A wrong
// account or password gives the same EUnauthorized message. A session whose
// account must change its password is returned with EMustChange, so the
// caller can ask for a new one and call ChangePassword.
func (s *Service) SignIn(ctx context.Context, idNo, password string) (*Session, error) {
	idNo = NormalizeID(idNo)
	var acc Account
	err := s.Store.Read(ctx, func(tx Tx) (err error) { acc, err = tx.Account(idNo); return err })
	wrong := Errorf(EUnauthorized, "账号或密码不正确，请核对后重试。账号是身份证号，初始密码是身份证号后 8 位。")
	if ErrorCode(err) == ENotFound {
		// Every member has an account (R-A1, R-A5): it is made at the first
		// sign-in with the initial password, which must then be changed.
		acc, err = s.memberAccount(ctx, idNo, password)
		if err != nil {
			return nil, err
		}
		if acc.IDNo == "" {
			return nil, s.auditFailedSignIn(ctx, idNo, wrong)
		}
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.Before(acc.LockedUntil) {
		return nil, lockedError(acc, now)
	}
	if !VerifyPassword(acc.PassHash, password) {
		return nil, s.signInFailed(ctx, acc.IDNo, wrong)
	}
	if acc, err = s.signInSucceeded(ctx, acc.IDNo); err != nil {
		return nil, err
	}
	ss, err := s.session(ctx, acc)
	if err != nil {
		return nil, err
	}
	if acc.MustChange {
		return ss, Errorf(EMustChange, "这是初始密码（或刚被重置的密码），请先修改密码再进行其他操作。")
	}
	return ss, nil
}

var dummyHash, _ = HashPassword("tuanwu-dummy-password")

// memberAccount makes the account of a registered member who signs in for
// the first time with the initial password. It returns the zero Account
// when idNo is no member or the password is not the initial one.
func (s *Service) memberAccount(ctx context.Context, idNo, password string) (Account, error) {
	var m Member
	err := s.Store.Read(ctx, func(tx Tx) (err error) { m, err = tx.Member(idNo); return err })
	if IsNotFound(err) || (err == nil && password != InitialPassword(idNo)) {
		VerifyPassword(dummyHash, password) // the same time as a real check
		return Account{}, nil
	}
	if err != nil {
		return Account{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return Account{}, err
	}
	acc := Account{IDNo: idNo, Name: m.Name, PassHash: hash, MustChange: true, CreatedAt: s.now()}
	err = s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.InsertAccount(acc); err != nil {
			return err
		}
		return tx.AppendAudit(AuditEntry{At: s.now(), Actor: idNo, Action: "首次登录建立账号", Object: m.Name + "（" + MaskID(idNo) + "）", OrgID: m.OrgID, Member: idNo})
	})
	return acc, err
}

func waitText(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(d.Seconds()+0.999)) + " 秒"
	}
	return strconv.Itoa(int(d.Minutes()+0.999)) + " 分钟"
}

func (s *Service) session(ctx context.Context, acc Account) (*Session, error) {
	ss := &Session{Account: acc}
	err := s.Store.Read(ctx, func(tx Tx) error {
		orgs, err := tx.AdminOrgs(acc.IDNo)
		if err != nil {
			return err
		}
		ss.Orgs = orgs
		rootID, err := s.rootID(tx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.ID == rootID {
				ss.Owner = true
			}
		}
		return nil
	})
	return ss, err
}

func (s *Service) rootID(tx Tx) (int64, error) {
	v, err := tx.Setting("root_org")
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// ChangePassword changes the session's own password (R-A5, R-X6).
func (s *Service) ChangePassword(ctx context.Context, ss *Session, old, new string) error {
	if ss == nil {
		return Errorf(EUnauthorized, "请先登录。")
	}
	if err := ValidateNewPassword(ss.Account.IDNo, new); err != nil {
		return err
	}
	if old == new {
		return Errorf(EInvalid, "新密码不能与原密码相同，请换一个。")
	}
	hash, err := HashPassword(new)
	if err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		acc, err := tx.Account(ss.Account.IDNo)
		if err != nil {
			return err
		}
		if !VerifyPassword(acc.PassHash, old) {
			return Errorf(EUnauthorized, "原密码不正确，请重新输入。")
		}
		acc.PassHash, acc.MustChange = hash, false
		if err := tx.UpdateAccount(acc); err != nil {
			return err
		}
		ss.Account = acc
		return s.audit(tx, ss, "修改密码", MaskID(acc.IDNo), 0, "", "", "")
	})
}

// ready refuses a session that may not act yet.
func ready(ss *Session) error {
	if ss == nil {
		return Errorf(EUnauthorized, "请先登录。")
	}
	if ss.Account.MustChange {
		return Errorf(EMustChange, "请先修改初始密码，再进行其他操作。")
	}
	return nil
}

func (s *Service) manageable(tx Tx, ss *Session, orgID int64) (Org, error) {
	if err := ready(ss); err != nil {
		return Org{}, err
	}
	o, err := tx.Org(orgID)
	if err != nil {
		return Org{}, err
	}
	if !ss.CanManage(o) {
		return Org{}, Errorf(EForbidden, "您没有管理“%s”的权限，请联系其上级组织的管理员办理。", o.FullName)
	}
	return o, nil
}

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
		for _, a := range ss.Orgs {
			covered := false
			for _, b := range ss.Orgs {
				if b.ID != a.ID && b.Contains(a) {
					covered = true
				}
			}
			if !covered {
				o, err := tx.Org(a.ID)
				if err != nil {
					return err
				}
				out = append(out, o)
			}
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
		return s.audit(tx, ss, "新增组织", o.FullName, o.ID, "", "", o.Kind+" "+o.Category)
	})
	if err != nil {
		return Org{}, nil, err
	}
	return o, BranchWarnings(o), nil
}

// RenameOrg renames an organization.
func (s *Service) RenameOrg(ctx context.Context, ss *Session, id int64, name string) (Org, error) {
	var o Org
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		if o, err = s.manageable(tx, ss, id); err != nil {
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
		return s.audit(tx, ss, "修改组织名称", o.FullName, o.ID, "", before, o.FullName)
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
			if self {
				covered := false
				for _, a := range ss.Orgs {
					if a.ID != o.ID && a.Contains(o) {
						covered = true
					}
				}
				if !covered {
					return Errorf(EForbidden, "组织不能删除自己，请由“%s”的直属上级组织删除。", o.Name)
				}
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
		return s.audit(tx, ss, "删除组织", o.FullName, o.ParentID, "", o.Kind+" "+o.Category, "")
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

// IsNotFound reports whether err is an ENotFound error.
func IsNotFound(err error) bool { return ErrorCode(err) == ENotFound }

// Backup writes a verified copy of the whole store to path. Only an
// administrator may take one.
func (s *Service) Backup(ctx context.Context, ss *Session, path string) error {
	if err := ready(ss); err != nil {
		return err
	}
	if !ss.Owner {
		return Errorf(EForbidden, "存储中有全校的数据，只有校级（根组织）管理员才能备份整个存储。")
	}
	if strings.TrimSpace(path) == "" {
		return Errorf(EInvalid, "请指定备份文件的位置。")
	}
	if err := s.Store.Backup(ctx, path); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error { return s.audit(tx, ss, "备份存储", path, 0, "", "", "") })
}

// Audit returns audit entries. The store owner sees all; other
// administrators see those of organizations and members they manage.
func (s *Service) Audit(ctx context.Context, ss *Session, f AuditFilter) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.Store.Read(ctx, func(tx Tx) error {
		if err := ready(ss); err != nil {
			return err
		}
		if !ss.IsAdmin() {
			return Errorf(EForbidden, "只有组织管理员才能查看操作日志。")
		}
		if f.UnderPath != "" && !ss.CanManage(Org{Path: f.UnderPath}) {
			return Errorf(EForbidden, "您只能查看本组织及下级组织的操作日志。")
		}
		if f.OrgID != 0 {
			o, err := s.manageable(tx, ss, f.OrgID)
			if err != nil {
				return err
			}
			f.OrgID, f.UnderPath = 0, o.Path // the organization and everything below it
		}
		if f.Member != "" {
			if _, err := s.member(tx, ss, f.Member); IsNotFound(err) {
				// Not (or no longer) a member: a cadre or administrator, or a
				// deleted entry (R-E1) whose history stays. The owner sees all
				// of it, other administrators what happened in their subtree.
				if !ss.Owner && f.UnderPath == "" {
					f.UnderPath = topOrg(ss).Path
				}
			} else if err != nil {
				return err
			}
		}
		if !ss.Owner && f.UnderPath == "" && f.Member == "" {
			// Administrators below the root see what happened in their own subtree.
			if !ss.IsAdmin() {
				return Errorf(EForbidden, "只有组织管理员才能查看操作日志。")
			}
			var top Org
			for _, a := range ss.Orgs {
				if top.ID == 0 || len(a.Path) < len(top.Path) {
					top = a
				}
			}
			f.UnderPath = top.Path
		}
		var err error
		if out, err = tx.Audit(f); err != nil {
			return err
		}
		names := accountNames{}
		for i := range out {
			out[i].ActorName = names.of(tx, out[i].Actor)
		}
		return nil
	})
	return out, err
}
