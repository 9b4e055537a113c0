package cli

import (
	"fmt"
	"io"

	"tuanwu/app"
)

// reportAbroad handles report abroad --out FILE.xlsx: the register of the
// members in the colleges' 出国(境)学习研究团员团支部 (R-T2, 登记造册).
func (r *run) reportAbroad(out string) error {
	if r.env.WriteAbroadRegister == nil {
		return app.Errorf(app.EInternal, "这个版本没有导出 Excel 的组件。")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
	rows, err := r.svc.AbroadRegister(r.ctx, r.sess)
	if err != nil {
		return err
	}
	if err := newFile(out, func(w io.Writer) error { return r.env.WriteAbroadRegister(w, rows) }); err != nil {
		return err
	}
	return r.out(map[string]any{"out": out, "rows": len(rows)}, func(w io.Writer) {
		fmt.Fprintf(w, "已导出出国（境）学习研究团员登记册（%d 人）到 %s。\n", len(rows), out)
	})
}
