package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Live windows and stale forms (issue 14, item 3).
//
// Every change a use case makes appends an audit entry in its transaction
// (the trail is append-only and hash-chained), so the number of the newest
// entry is a change mark: when it is the same as a moment ago, nothing
// changed; when it differs, another desk (or this one) wrote something. A
// window polls it (one indexed max(id) in a read transaction) and reloads
// what it shows when it moves.
//
// A form that edits an existing record keeps the record's version, a digest
// of the stored fields as the form loaded them (RecordVersion); its save
// is refused with EConflict when the record as stored now has another
// version: someone else changed it meanwhile. Nothing is written then.
// The digest needs no column of its own, is the same on SQLite and
// PostgreSQL, and catches changes made by any write path, set-wise SQL
// included (a version column would have to be bumped by each); counts that
// a record's page shows (members of an organization) are not part of it.
// Headless commands pass no version: the last write wins, as before.

// ChangeMark returns the store's change mark: the number of the newest
// audit entry (0 for an empty store). It needs no session: the number
// tells nothing but that something changed.
func (s *Service) ChangeMark(ctx context.Context) (int64, error) {
	var mark int64
	err := s.Store.Read(ctx, func(tx Tx) (err error) { mark, err = tx.AuditHead(); return err })
	return mark, err
}

// Changed returns the store's change mark and whether it differs from
// since (a mark an earlier call returned).
func (s *Service) Changed(ctx context.Context, since int64) (mark int64, changed bool, err error) {
	mark, err = s.ChangeMark(ctx)
	if err != nil {
		return since, false, err
	}
	return mark, mark != since, nil
}

// RecordVersion identifies the stored state of one record, as a form loaded it.
// "" means no check (last write wins).
type RecordVersion string

// MemberVersion returns the version of a member's record as read from the
// store: a digest of every stored field (not OrgName, which the reader
// fills from the organization).
func MemberVersion(m Member) RecordVersion {
	m.OrgName = ""
	return digest(fmt.Sprintf("%d|%d|%s|%s|%s|%s|%s|%s|%t|%s|%s|%s|%s|%s|%s|%s|%s|%t|%s|%s|%s|%s|%s|%s|%d|%d|%d|%s|%s|%s|%d|%t",
		m.ID, m.OrgID, m.Name, m.IDNo, m.Ethnicity, m.Political, m.Education, m.JoinMonth, m.IsCadre, m.Phone, m.Weibo, m.QQ,
		m.Email, m.MemberNo, m.Post, m.PostSince, m.CadreNature, m.PartyCommittee, m.DevelopedOn, m.Status, m.Mark,
		m.MarkMonth, m.MarkReason, m.ErrorKind, unix(m.CreatedAt), unix(m.UpdatedAt), unix(m.LeftAt), m.LeftTo, m.LeftFrom,
		m.LeftPath, m.LeftTransfer, m.Incomplete))
}

// OrgVersion returns the version of an organization's record: a digest of
// its own stored fields (not its full name, which changes with an
// ancestor's, nor its counts).
func OrgVersion(o Org) RecordVersion {
	return digest(fmt.Sprintf("%d|%d|%s|%s|%s|%s|%s|%s|%s|%s|%d|%t|%s|%s|%s",
		o.ID, o.ParentID, o.Name, o.Kind, o.Category, o.Province, o.Path, o.GradMonth, o.GradReason, o.Remark,
		unix(o.CreatedAt), o.Outside, o.Address, o.Contact, o.Phone))
}

func unix(t time.Time) int64 { return t.Unix() }

func digest(s string) RecordVersion {
	sum := sha256.Sum256([]byte(s))
	return RecordVersion(hex.EncodeToString(sum[:12]))
}

// StaleMessage is the start of the refusal of a stale save.
const StaleMessage = "这条记录已被他人修改，请刷新后再改。"

// IsStale reports whether err refuses a save made from a stale form.
func IsStale(err error) bool {
	return ErrorCode(err) == EConflict && strings.HasPrefix(ErrorMessage(err), StaleMessage)
}

// staleError refuses a save from a form that loaded another version of the
// record; it names who changed it last and when, from the audit trail.
func staleError(tx Tx, f AuditFilter, orgOnly bool) error {
	f.Limit = 20
	list, err := tx.Audit(f)
	if err != nil {
		return err
	}
	for _, e := range list {
		if orgOnly && e.Member != "" {
			continue
		}
		who := "系统"
		if e.Actor != "系统" {
			if who = (accountNames{}).of(tx, e.Actor); who == "" {
				who = MaskID(e.Actor)
			}
		}
		when := e.At.In(Shanghai)
		return Errorf(EConflict, "%s（最近一次由 %s 于 %s %s）", StaleMessage, who, when.Format("1月2日 15:04"), e.Action)
	}
	return Errorf(EConflict, StaleMessage)
}

// checkMemberVersion refuses, when v is set, a change to m made from a
// form that loaded another version of it.
func checkMemberVersion(tx Tx, m Member, v RecordVersion) error {
	if v == "" || MemberVersion(m) == v {
		return nil
	}
	return staleError(tx, AuditFilter{Member: m.IDNo}, false)
}

// CadreVersion returns the version of a cadre's record (a post held).
func CadreVersion(c Cadre) RecordVersion {
	return digest(fmt.Sprintf("%d|%d|%s|%s|%s|%s|%s|%t|%d|%d",
		c.ID, c.OrgID, c.IDNo, c.Name, c.Post, c.PostSince, c.Nature, c.PartyCommittee, unix(c.Since), unix(c.Ended)))
}

// checkCadreVersion is checkMemberVersion for a cadre's post.
func checkCadreVersion(tx Tx, c Cadre, v RecordVersion) error {
	if v == "" || CadreVersion(c) == v {
		return nil
	}
	return staleError(tx, AuditFilter{Member: c.IDNo}, false)
}

// checkOrgVersion is checkMemberVersion for an organization.
func checkOrgVersion(tx Tx, o Org, v RecordVersion) error {
	if v == "" || OrgVersion(o) == v {
		return nil
	}
	return staleError(tx, AuditFilter{OrgID: o.ID}, true)
}

// EditMemberAt is EditMember from a form that loaded version v of the
// member's record: when the record changed since, it returns EConflict
// (StaleMessage, naming who changed it) and writes nothing.
func (s *Service) EditMemberAt(ctx context.Context, ss *Session, idNo string, v RecordVersion, fields map[string]string) (Member, error) {
	return s.editMember(ctx, ss, idNo, v, fields)
}

// RenameOrgAt is RenameOrg from a form that loaded version v of the
// organization's record; EConflict when it changed since.
func (s *Service) RenameOrgAt(ctx context.Context, ss *Session, id int64, v RecordVersion, name string) (Org, error) {
	return s.renameOrg(ctx, ss, id, v, name)
}
