package cli

import (
	"fmt"
	"io"
	"tuanwu/app"
)

var sweepNoun = &noun{name: "sweep", summary: "办理到期的默认通过和提醒", help: `tuanwu --as 身份证号 sweep
  按 --now 的日期办理到期的默认通过（15 天）并发出提醒（10 天）；窗口在启动时和每天自动做同样的事。`,
	cmd: &command{bad: "sweep 不带参数（用 --now 指定日期）。", access: account, run: (*run).sweep}}

var noticesNoun = &noun{name: "notices", summary: "当前账号的消息", help: `tuanwu --as 身份证号 notices`,
	cmd: &command{bad: "notices 不带参数。", access: account, run: (*run).notices}}

func (r *run) sweep(flags) error {
	if !r.sess.IsAdmin() {
		return app.Errorf(app.EForbidden, "只有组织管理员才能执行到期处理。")
	}
	res, err := r.svc.SweepAll(r.ctx)
	if err != nil {
		return err
	}
	return r.out(map[string]any{"defaulted": res.Defaulted, "finished": res.Finished, "reminded": res.Reminded, "graduated": res.Graduated},
		func(w io.Writer) {
			fmt.Fprintf(w, "到期处理完成：系统默认通过 %d 个审批步骤（办结 %d 件），提醒 %d 个超过 10 天未审批的步骤，%d 个团支部转为毕业生团组织。\n",
				res.Defaulted, res.Finished, res.Reminded, res.Graduated)
		})
}

func (r *run) notices(flags) error {
	list, err := r.svc.Notices(r.ctx, r.sess)
	if err != nil {
		return err
	}
	type noticeJSON struct {
		Kind       string `json:"kind"`
		Text       string `json:"text"`
		TransferNo int64  `json:"transfer_no,omitempty"`
		OrgID      int64  `json:"org_id,omitempty"`
		DaysLeft   *int   `json:"days_left,omitempty"`
	}
	out := make([]noticeJSON, len(list))
	for i, n := range list {
		out[i] = noticeJSON{Kind: n.Kind, Text: n.Text, TransferNo: n.TransferNo, OrgID: n.OrgID}
		if n.DaysLeft >= 0 {
			d := n.DaysLeft
			out[i].DaysLeft = &d
		}
	}
	return r.out(out, func(w io.Writer) {
		if len(out) == 0 {
			fmt.Fprintln(w, "操作中心：目前没有待办事项。")
		}
		for _, n := range out {
			fmt.Fprintf(w, "【%s】%s\n", n.Kind, n.Text)
		}
	})
}
