package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"tuanwu/app"
)

// letterNumbers writes letter numbers as 第 1、3 号.
func letterNumbers(nos []int) string {
	parts := make([]string, len(nos))
	for i, n := range nos {
		parts[i] = strconv.Itoa(n)
	}
	return "第 " + strings.Join(parts, "、") + " 号"
}

type letterJSON struct {
	No         int      `json:"no"`
	Issuer     string   `json:"issuer"`  // the issuing committee's full path
	Heading    string   `json:"heading"` // 共青团XX大学XX学院委员会, as printed
	Recipient  string   `json:"recipient"`
	Names      []string `json:"names"`
	Count      int      `json:"count"`
	Dues       string   `json:"dues"`
	Date       string   `json:"date"`
	ValidDays  int      `json:"valid_days"`
	Transfers  []int64  `json:"transfers,omitempty"`
	Voided     bool     `json:"voided"`
	VoidReason string   `json:"void_reason,omitempty"`
}

func letterOut(l app.Letter) letterJSON {
	return letterJSON{No: l.No, Issuer: l.IssuerOrg, Heading: l.Issuer, Recipient: l.Recipient, Names: l.Names,
		Transfers: l.Transfers, Count: l.Count(), Dues: fmt.Sprintf("%04d-%02d", l.DuesYear, l.DuesMonth), Date: l.Date.Format("2006-01-02"),
		ValidDays: l.ValidDays, Voided: l.Voided, VoidReason: l.VoidReason}
}

var letterNoun = &noun{name: "letter", summary: "组织关系介绍信：打印、作废、列表", help: `tuanwu letter 转接编号... --out 文件.pdf [--dues YYYY-MM] [--valid-days 天数]
tuanwu letter void 介绍信编号 --reason 原因
tuanwu letter list`,
	subs: []*command{
		{name: "void", flags: map[string]bool{"--reason": true, "--issuer": true}, args: [2]int{0, -1},
			check: numbered("letter void 介绍信编号 --reason 原因", "--reason"), access: account, run: (*run).letterVoid},
		{name: "list", flags: map[string]bool{"--reason": true, "--issuer": true}, args: [2]int{0, -1}, access: account, run: (*run).letterList},
	},
	// letter N... prints letters; letter void|list are its subcommands.
	dispatch: letterDispatch}

func letterDispatch(r *run, args []string) error {
	if len(args) > 0 {
		if c := find("letter").sub(args[0]); c != nil {
			return r.exec(c, args[1:])
		}
	}
	return r.exec(letterIssue, args)
}

var letterIssue = &command{flags: map[string]bool{"--out": true, "--dues": true, "--valid-days": true}, need: []string{"--out"}, args: [2]int{1, -1},
	bad: "用法：letter 转接编号... --out 文件.pdf [--dues YYYY-MM] [--valid-days N]", access: account, run: (*run).letterPrint,
	check: func(f flags) error {
		for _, p := range f.pos {
			if n, err := strconv.ParseInt(strings.TrimPrefix(p, "#"), 10, 64); err != nil || n <= 0 {
				return usagef("转接编号应为正整数，现在是“%s”。", p)
			}
		}
		if v := f.one("--valid-days"); v != "" {
			if _, err := strconv.Atoi(v); err != nil {
				return usagef("--valid-days 应为天数。")
			}
		}
		return nil
	}}

func (r *run) letterVoid(f flags) error {
	no := f.number()
	var issuer int64
	if v := f.one("--issuer"); v != "" {
		o, err := r.svc.ResolveOrg(r.ctx, r.sess, v)
		if err != nil {
			return err
		}
		issuer = o.ID
	}
	if err := r.svc.VoidLetter(r.ctx, r.sess, int(no), issuer, f.one("--reason")); err != nil {
		return err
	}
	return r.out(map[string]any{"ok": true, "no": no, "voided": true}, func(w io.Writer) {
		fmt.Fprintf(w, "第 %d 号介绍信已作废，编号不再使用。\n", no)
	})
}

func (r *run) letterList(flags) error {
	list, err := r.svc.Letters(r.ctx, r.sess)
	if err != nil {
		return err
	}
	out := make([]letterJSON, len(list))
	for i, l := range list {
		out[i] = letterOut(l.Letter)
	}
	return r.out(out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "编号\t开具团委\t接收组织\t人数\t日期\t状态")
		for _, l := range out {
			st := "有效"
			if l.Voided {
				st = "作废：" + l.VoidReason
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", l.No, l.Issuer, l.Recipient, l.Count, l.Date, st)
		}
		tw.Flush()
	})
}

// letterPrint issues letters for the numbered transfers and writes them as
// one PDF (R-L1, R-L2, R-T7).
func (r *run) letterPrint(f flags) error {
	var nos []int64
	for _, p := range f.pos {
		n, _ := strconv.ParseInt(strings.TrimPrefix(p, "#"), 10, 64) // checked before sign-in
		nos = append(nos, n)
	}
	opt := app.LetterOptions{Dues: f.one("--dues")}
	if v := f.one("--valid-days"); v != "" {
		opt.ValidDays, _ = strconv.Atoi(v)
	}
	if r.env.WriteLetters == nil {
		return app.Errorf(app.EInternal, "这个版本没有打印介绍信的组件。")
	}
	out := f.one("--out")
	if _, err := os.Stat(out); err == nil {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个文件名，以免覆盖。", out)
	}
	letters, err := r.svc.IssueLetters(r.ctx, r.sess, nos, opt)
	if err != nil {
		return err
	}
	if err := writeFile(out, func(w io.Writer) error { return r.env.WriteLetters(w, letters) }); err != nil {
		return err
	}
	js := make([]letterJSON, len(letters))
	for i, l := range letters {
		js[i] = letterOut(l)
	}
	return r.out(map[string]any{"out": out, "letters": js}, func(w io.Writer) {
		for _, l := range js {
			fmt.Fprintf(w, "第 %d 号：致%s，%s 等 %d 人\n", l.No, l.Recipient, strings.Join(l.Names, "、"), l.Count)
		}
		fmt.Fprintf(w, "已写入 %s，请用 PDF 阅读器打开打印。\n", out)
	})
}
