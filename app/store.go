package app

import (
	"context"
	"time"
)

// Store is the persistence the domain needs. Each Read or Write runs fn in
// one transaction: Write commits when fn returns nil and rolls back
// otherwise, so a use case's changes land together or not at all.
type Store interface {
	// Read runs fn in a read-only transaction.
	Read(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in a read-write transaction.
	Write(ctx context.Context, fn func(Tx) error) error
	// SchemaVersion returns the schema version of the open store.
	SchemaVersion() int
	// Check runs the integrity and foreign-key checks and returns the
	// problems found (none: an empty slice).
	Check(ctx context.Context) ([]string, error)
	// VerifyAudit verifies the audit trail's hash chain (issue 10, item 6).
	VerifyAudit(ctx context.Context) (AuditChain, error)
	// Backup writes a consistent copy of the store to path and verifies it.
	// It returns EConflict when path exists.
	Backup(ctx context.Context, path string) error
	// Path returns the store's file name.
	Path() string
	// Close closes the store.
	Close() error
}

// OrgFilter selects organizations in FindOrgs.
type OrgFilter struct {
	Text      string   // part of the name; "" matches all
	Provinces []string // only these provinces; none: all
	Exclude   []string // not these provinces
	UnderPath string   // only this subtree (an Org.Path); "": everywhere
	Outside   bool     // the directory of outside organizations (R-W1) instead of the tree
	Limit     int      // 0: no limit
}

// MemberQuery selects members for listing and searching.
type MemberQuery struct {
	OrgID       int64  // the subtree of this organization; 0: every organization
	Text        string // a name prefix, a 身份证号 prefix or a 团员编号 prefix
	IncludeLeft bool   // also members who left the League
	// Departed lists only members who transferred out (R-W3) from OrgID's
	// subtree (by the branch they left), newest first.
	Departed bool
	Offset   int
	Limit    int // 0: no limit
}

// Tx is one transaction on the store. Methods return *Error with ENotFound
// when a named record does not exist and EConflict when a uniqueness rule of
// the store refuses a change; other errors are wrapped driver errors.
type Tx interface {
	// Org returns an organization with its FullName, MemberCount and ChildCount. ENotFound.
	Org(id int64) (Org, error)
	// OrgByName returns the child named name of parentID (0: top level). ENotFound.
	OrgByName(parentID int64, name string) (Org, error)
	// Children returns the direct children of parentID (0: top level) with their counts, by kind, then in creation order.
	Children(parentID int64) ([]Org, error)
	// FindOrgs returns the organizations f selects, in tree order.
	FindOrgs(f OrgFilter) ([]Org, error)
	// OutsideOrg returns the outside organization (R-W1) whose normalised
	// name equals NormalizeOrgName(name). ENotFound.
	OutsideOrg(name string) (Org, error)
	// LocalOrgsNamed returns the organizations of the tree whose normalised name equals NormalizeOrgName(name).
	LocalOrgsNamed(name string) ([]Org, error)
	// CountOrgs returns the number of organizations.
	CountOrgs() (int, error)
	// InsertOrg stores a new organization and sets its ID and Path. EConflict for a duplicate name under the same parent.
	InsertOrg(o *Org) error
	// UpdateOrg stores an organization's editable fields. EConflict, ENotFound.
	UpdateOrg(o Org) error
	// DeleteOrg removes an organization. ENotFound.
	DeleteOrg(id int64) error

	// MemberState returns what a planned transfer of the member depends
	// on: its organization, status and mark, and how many transfers it has
	// running or kept. ENotFound.
	MemberState(idNo string) (MemberState, error)
	// MemberStates is MemberState for many members at once; those not
	// found are missing from the map.
	MemberStates(idNos []string) (map[string]MemberState, error)
	// Member returns a member by 身份证号, with OrgName. ENotFound.
	Member(idNo string) (Member, error)
	// MemberByNo returns a member by 团员编号. ENotFound.
	MemberByNo(no string) (Member, error)
	// Members calls fn for each member selected by q, in entry order; fn's error stops the walk and is returned.
	Members(q MemberQuery, fn func(Member) error) error
	// CountMembers returns how many members q selects (ignoring Offset and Limit).
	CountMembers(q MemberQuery) (int, error)
	// InsertMember stores a new member and sets its ID. EConflict for a duplicate 身份证号 or 团员编号.
	InsertMember(m *Member) error
	// InsertMembers stores many new members with one prepared statement.
	InsertMembers(ms []Member) error
	// UpdateMember stores a member's editable fields. ENotFound, EConflict.
	UpdateMember(m Member) error

	// Account returns an account by 身份证号. ENotFound.
	Account(idNo string) (Account, error)
	// InsertAccount stores a new account. EConflict.
	InsertAccount(a Account) error
	// UpdateAccount stores an account's password and sign-in state. ENotFound.
	UpdateAccount(a Account) error
	// InsertCadre stores a cadre of an organization and sets its ID.
	InsertCadre(c *Cadre) error
	// Cadres returns the current cadres of an organization.
	Cadres(orgID int64) ([]Cadre, error)
	// Cadre returns one cadre record, current or ended. ENotFound.
	Cadre(id int64) (Cadre, error)
	// UpdateCadre stores a cadre's post, dates, nature and end. ENotFound.
	UpdateCadre(c Cadre) error
	// RevokeAdmin ends a person's administration of an organization; the record stays. ENotFound when not a current admin.
	RevokeAdmin(orgID int64, idNo string, at time.Time) error
	// InsertAdmin makes a person an administrator of an organization. EConflict when already one.
	InsertAdmin(orgID int64, idNo string, at time.Time) error
	// AdminOrgs returns the organizations a person currently administers.
	AdminOrgs(idNo string) ([]Org, error)
	// Admins returns the current administrators of an organization.
	Admins(orgID int64) ([]Admin, error)

	// InsertTransfers stores many new transfers with their steps, in
	// order, and sets their numbers and step IDs.
	InsertTransfers(list []*Transfer) error
	// Transfer returns a transfer with its steps and organization names. ENotFound.
	Transfer(no int64) (Transfer, error)
	// UpdateTransfer stores a transfer's target, state, reject reason and end.
	UpdateTransfer(t Transfer) error
	// UpdateStep stores a step's times, outcome, actor and note.
	UpdateStep(st Step) error
	// OpenTransfer returns the member's running or kept transfer. ENotFound.
	OpenTransfer(idNo string) (Transfer, error)
	// Transfers returns the transfers f selects, newest first, with their steps.
	Transfers(f TransferFilter) ([]Transfer, error)
	// DueSteps returns open steps (not assignments) due at or before now, oldest first.
	DueSteps(now time.Time, limit int) ([]Step, error)

	// InsertLetter stores a letter of an issuing committee with the next
	// number of that committee (R-L1) and links its transfers; it sets l.No and returns the letter's ID.
	InsertLetter(issuer int64, l *Letter, createdBy string, transfers []int64, at time.Time) (int64, error)
	// Letters returns the letters of the given issuers (none: all), newest first.
	Letters(issuers []int64) ([]LetterRecord, error)
	// VoidLetter marks a letter void with a reason; its number stays used. ENotFound, EConflict when already void.
	VoidLetter(id int64, reason string, at time.Time) error

	// OrgsByID returns the organizations with these IDs, without FullName and ChildCount. ENotFound when one is missing.
	OrgsByID(ids []int64) ([]Org, error)
	// MarkGraduation sets, in one statement, the graduation month or reason
	// of the branches among ids that lie in the given subtrees (none:
	// everywhere); a non-empty category replaces theirs. It returns how
	// many it changed; the caller rolls back when that is not all of ids.
	MarkGraduation(ids []int64, underPaths []string, month, reason, category string) (int, error)
	// DelayedNotAfter returns up to limit 延迟毕业团员 of the branches ids
	// whose expected graduation month is not after month (R-D1).
	DelayedNotAfter(ids []int64, month string, limit int) ([]Member, error)
	// OrgNames returns the names of up to limit organizations among ids.
	OrgNames(ids []int64, limit int) ([]string, error)
	// GraduateBranches turns the 普通 branches whose month starts with
	// yearPrefix and is not after month into 毕业生团组织, returning how many.
	GraduateBranches(yearPrefix, month string) (int, error)
	// DeleteMember removes a member row (after its history was kept). ENotFound.
	DeleteMember(idNo string) error
	// InsertMemberHistory keeps a removed member's whole record (R-E1).
	InsertMemberHistory(m Member, org, reason, actor string, at time.Time) error
	// InsertStatus records a status change (R-X4).
	InsertStatus(idNo, status, date, reason, actor string, at time.Time) error
	// StatusHistory returns a member's status changes, oldest first.
	StatusHistory(idNo string) ([]StatusChange, error)
	// ErrorMembers returns the members reported with a wrong 身份证号 or 姓名 in the subtree (R-E1).
	ErrorMembers(underPath string) ([]Member, error)
	// AbroadMembers returns the 在团 members of the 出国(境)学习研究团员团支部
	// in the subtree (R-T2), by branch, then in entry order, each with its
	// college's full path and its latest finished 出国（境）学习研究 transfer.
	AbroadMembers(underPath string) ([]AbroadMember, error)

	// GraduateCounts counts the graduates of the year (R-W6) under the
	// organization with org path underPath, per child of it and Progress
	// category: active unmarked members of branches whose graduation month
	// is in the year, by their running or kept transfer; and those whose
	// latest transfer from such a branch is finished.
	GraduateCounts(underPath, year string) ([]GradCount, error)
	// GraduatesNotStarted returns the active unmarked members of branches
	// marked for the year under underPath with no running or kept transfer.
	GraduatesNotStarted(underPath, year string) ([]Member, error)

	// LateEntries counts, per branch in the subtree, members entered more than
	// a month after their development date (R-M3).
	LateEntries(underPath string) ([]OrgCount, error)
	// CountIncomplete counts the members in the subtree received from
	// outside whose records are still incomplete (R-W4) and gives the first names.
	CountIncomplete(underPath string, names int) (int, []string, error)
	// CountUnmarked counts the branches UnmarkedBranches would return and gives the first names.
	CountUnmarked(underPath string, names int) (int, []string, error)
	// UnmarkedBranches returns the school branches in the subtree with no
	// graduation month and no reason (R-G1, R-G6).
	UnmarkedBranches(underPath string) ([]Org, error)

	// AuditHead returns the number of the newest audit entry (0: none).
	// Every change a use case makes writes an entry in its transaction, so
	// an unchanged head means nothing changed.
	AuditHead() (int64, error)
	// AppendAudits adds entries to the audit trail, in order.
	AppendAudits(list []AuditEntry) error
	// AppendAudit adds an entry to the append-only audit trail.
	AppendAudit(e AuditEntry) error
	// Audit returns audit entries matching f, newest first.
	Audit(f AuditFilter) ([]AuditEntry, error)

	// Setting returns a setting's value, "" when unset.
	Setting(key string) (string, error)
	// SetSetting stores a setting.
	SetSetting(key, value string) error

	// DefaultDueSteps approves by default, set-wise, every open step that is
	// not an assignment and is due at or before now (R-T4): each is recorded
	// as 系统默认通过 by 系统 on its due date with note; the step after it
	// opens on that date (due StepDays later, 分配团支部 never); a transfer it
	// ends is finished with its member moved to the transfer's target
	// (member counts kept); each step gets one audit entry, as advance writes
	// it. Steps so opened that are due themselves are defaulted too. It
	// returns how many steps were defaulted and transfers finished.
	DefaultDueSteps(now time.Time, note string) (defaulted, finished int, err error)
	// RemindSteps marks the open approval steps opened at or before cutoff
	// and not yet reminded as reminded at now, and returns how many.
	RemindSteps(cutoff, now time.Time) (int, error)
}

// MemberState is what MemberState returns.
type MemberState struct {
	OrgID  int64
	Status string
	Mark   string
	Open   int
}

// TransferFilter selects transfers.
type TransferFilter struct {
	UnderPaths []string // transfers whose origin or target lies in one of these subtrees; none: all
	StepOrgs   []int64  // only transfers with an open step at one of these organizations
	IDNo       string
	OpenOnly   bool
	Limit      int
}

// StatusChange is one recorded status change of a member (R-X4).
type StatusChange struct {
	Status string
	Date   string
	Reason string
	Actor  string
	At     time.Time
}

// OrgCount is a number of something per organization.
type OrgCount struct {
	Org   Org
	Count int
}

// LetterRecord is a letter in the register, with its issuer and transfers.
type LetterRecord struct {
	ID        int64
	IssuerOrg int64
	Issuer    string // the issuing committee's full path
	Letter    Letter
	Transfers []int64
	CreatedBy string
	VoidedAt  time.Time
}
