package app

import "context"

// TransferByNo returns a transfer the session takes part in: its member's
// or target's organization is managed by the session, it has a step the
// session may act on, or it is the member's own.
func (s *Service) TransferByNo(ctx context.Context, ss *Session, no int64) (Transfer, error) {
	var t Transfer
	visible := func(tx Tx) error {
		if err := ready(ss); err != nil {
			return err
		}
		var err error
		if t, err = tx.Transfer(no); err != nil {
			return err
		}
		if t.IDNo == ss.Account.IDNo {
			return nil
		}
		if o, err := tx.Org(t.FromOrg); (err != nil || !o.Outside) && ss.ManagesPath(t.FromPath) {
			return nil // from one of the session's organizations, even one deleted since
		}
		for _, id := range []int64{t.FromOrg, t.ToOrg} {
			if id == 0 {
				continue
			}
			if o, err := tx.Org(id); err == nil && ss.CanManage(o) {
				return nil
			}
		}
		for _, st := range t.Steps {
			if ok, err := s.canAct(tx, ss, t, st); err == nil && ok {
				return nil
			}
		}
		return Errorf(EForbidden, "第 %d 号转接与您管理的组织无关，不能查看。", no)
	}
	err := s.Store.Read(ctx, func(tx Tx) error {
		if err := visible(tx); err != nil {
			return err
		}
		names := accountNames{}
		t.StartedName = names.of(tx, t.StartedBy)
		for i := range t.Steps {
			t.Steps[i].ActorName = names.of(tx, t.Steps[i].Actor)
		}
		return nil
	})
	return t, err
}

// accountNames looks up the names of the accounts that acted (经办人,
// 操作人), each once, so that pages name people instead of showing masked
// 身份证号. "" for 系统 and for an account that is gone.
type accountNames map[string]string

func (n accountNames) of(tx Tx, idNo string) string {
	if idNo == "" || idNo == "系统" {
		return ""
	}
	if name, ok := n[idNo]; ok {
		return name
	}
	name := ""
	if a, err := tx.Account(idNo); err == nil {
		name = a.Name
	}
	n[idNo] = name
	return name
}

// ListTransfers returns the transfers of the session's organizations (or the
// member's own), newest first; pending: only those waiting for the session.
func (s *Service) ListTransfers(ctx context.Context, ss *Session, pending bool) ([]Transfer, error) {
	var out []Transfer
	err := s.Store.Read(ctx, func(tx Tx) error {
		if err := ready(ss); err != nil {
			return err
		}
		if !ss.IsAdmin() {
			var err error
			out, err = tx.Transfers(TransferFilter{IDNo: ss.Account.IDNo, Limit: 200})
			return err
		}
		// Every open transfer is looked at for the pending list (none may
		// go missing, the oldest are the most urgent); the full list keeps
		// the newest 5,000.
		f := TransferFilter{Limit: 5000}
		if pending {
			f.OpenOnly, f.Limit = true, 0
		} else if !ss.Owner {
			for _, a := range ss.Orgs {
				f.UnderPaths = append(f.UnderPaths, a.Path)
			}
		}
		list, err := tx.Transfers(f)
		if err != nil {
			return err
		}
		if !pending {
			out = list
			return nil
		}
		// Whether the session acts depends on the step's organization and
		// kind only: asked once for each.
		type key struct {
			org  int64
			kind string
		}
		can := map[key]bool{}
		for _, t := range list {
			st, ok := t.Current()
			if !ok {
				continue
			}
			k := key{st.OrgID, st.Kind}
			yes, seen := can[k]
			if st.Outside {
				// Who records an outside step depends on the transfer (R-W2).
				var err error
				if yes, err = s.canAct(tx, ss, t, st); err != nil {
					return err
				}
			} else if !seen {
				var err error
				if yes, err = s.canAct(tx, ss, t, st); err != nil {
					return err
				}
				can[k] = yes
			}
			if yes {
				out = append(out, t)
			}
		}
		return nil
	})
	return out, err
}
