package app

import (
	"context"
	"fmt"
)

// AuditChain is what verifying the audit trail's hash chain found (issue 10,
// item 6): each entry carries a hash over its content and the previous
// entry's hash, so a forged, changed or deleted entry breaks the chain
// from there on.
type AuditChain struct {
	Entries  int      // entries in the trail
	Intact   bool     // the chain, its head and its protecting triggers are as written
	BrokenID int64    // the first broken entry, 0 when none
	Problems []string // Chinese sentences, the first broken entry's first
}

// Summary is the sentence the window and the headless check show.
func (c AuditChain) Summary() string {
	if c.Intact {
		return fmt.Sprintf("操作日志校验链完好：共 %d 条记录，没有被改动、删除或伪造的迹象。", c.Entries)
	}
	if len(c.Problems) == 0 {
		return "操作日志校验未通过，请运行 check 检查。"
	}
	return fmt.Sprintf("操作日志校验未通过：%s", c.Problems[0])
}

// AuditChainStatus verifies the audit trail's chain for an administrator
// (the 操作日志 window says whether it is intact).
func (s *Service) AuditChainStatus(ctx context.Context, ss *Session) (AuditChain, error) {
	if err := ready(ss); err != nil {
		return AuditChain{}, err
	}
	if !ss.IsAdmin() {
		return AuditChain{}, Errorf(EForbidden, "只有组织管理员才能查看操作日志。")
	}
	return s.Store.VerifyAudit(ctx)
}
