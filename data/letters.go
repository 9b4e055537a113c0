package data

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"tuanwu/app"
)

func (t *txn) InsertLetter(issuer int64, l *app.Letter, createdBy string, transfers []int64, at time.Time) (int64, error) {
	if err := t.tx.QueryRowContext(t.ctx, "SELECT ifnull(max(no), 0) + 1 FROM letters WHERE issuer_org = ?", issuer).Scan(&l.No); err != nil {
		return 0, fmt.Errorf("next letter number: %w", err)
	}
	res, err := t.exec(`INSERT INTO letters (issuer_org, no, recipient, names, dues, date, valid_days, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, issuer, l.No, l.Recipient, strings.Join(l.Names, "、"),
		fmt.Sprintf("%04d-%02d", l.DuesYear, l.DuesMonth), l.Date.Format("2006-01-02"), l.ValidDays, createdBy, fmtTime(at))
	if err != nil {
		return 0, fmt.Errorf("insert letter: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for _, tr := range transfers {
		if _, err := t.exec("INSERT INTO letter_transfers (letter_id, transfer_id) VALUES (?, ?)", id, tr); err != nil {
			return 0, fmt.Errorf("link letter: %w", err)
		}
	}
	return id, nil
}

func (t *txn) Letters(issuers []int64) ([]app.LetterRecord, error) {
	q := `SELECT id, issuer_org, no, recipient, names, dues, date, valid_days, voided_at, void_reason, created_by FROM letters`
	var args []any
	if len(issuers) > 0 {
		q += " WHERE issuer_org IN (" + placeholders(len(issuers)) + ")"
		for _, i := range issuers {
			args = append(args, i)
		}
	}
	q += " ORDER BY id DESC"
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("letters: %w", err)
	}
	out, err := scanAll(rows, func(rows *sql.Rows) (app.LetterRecord, error) {
		var r app.LetterRecord
		var names, dues, date, voided string
		if err := rows.Scan(&r.ID, &r.IssuerOrg, &r.Letter.No, &r.Letter.Recipient, &names, &dues, &date, &r.Letter.ValidDays, &voided, &r.Letter.VoidReason, &r.CreatedBy); err != nil {
			return r, fmt.Errorf("letters: %w", err)
		}
		r.Letter.Names = strings.Split(names, "、")
		fmt.Sscanf(dues, "%d-%d", &r.Letter.DuesYear, &r.Letter.DuesMonth)
		r.Letter.Date, _ = time.ParseInLocation("2006-01-02", date, app.Shanghai)
		r.VoidedAt = parseTime(voided)
		r.Letter.Voided = !r.VoidedAt.IsZero()
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		var err error
		if out[i].Issuer, err = t.orgFullName(out[i].IssuerOrg); err != nil {
			return nil, err
		}
		lr, err := t.tx.QueryContext(t.ctx, "SELECT transfer_id FROM letter_transfers WHERE letter_id = ? ORDER BY transfer_id", out[i].ID)
		if err != nil {
			return nil, err
		}
		for lr.Next() {
			var id int64
			if err := lr.Scan(&id); err != nil {
				lr.Close()
				return nil, err
			}
			out[i].Transfers = append(out[i].Transfers, id)
		}
		lr.Close()
	}
	return out, nil
}

func (t *txn) VoidLetter(id int64, reason string, at time.Time) error {
	var voided string
	err := t.tx.QueryRowContext(t.ctx, "SELECT voided_at FROM letters WHERE id = ?", id).Scan(&voided)
	if errors.Is(err, sql.ErrNoRows) {
		return app.Errorf(app.ENotFound, "没有这封介绍信。")
	}
	if err != nil {
		return fmt.Errorf("void letter: %w", err)
	}
	if voided != "" {
		return app.Errorf(app.EConflict, "这封介绍信已经作废过了（%s），不能重复作废。", parseTime(voided).Format("2006-01-02"))
	}
	_, err = t.exec("UPDATE letters SET voided_at = ?, void_reason = ? WHERE id = ?", fmtTime(at), reason, id)
	return err
}
