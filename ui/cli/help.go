package cli

import (
	"fmt"
	"io"
	"strings"
)

// helpIntro is the head of `tuanwu --help`.
const helpIntro = `团务台：团员与团组织管理（离线桌面版）
用法：
  tuanwu [--db 文件]                        打开窗口
  tuanwu [全局参数] 命令 [参数...]          不打开窗口，执行一条命令（供脚本和信息化人员使用）
  tuanwu help 命令 或 tuanwu 命令 --help    查看一条命令的用法

全局参数（可以写在命令前面或后面）：
  --db 文件        存储文件；默认为 <用户配置目录>/tuanwu/tuanwu.db（首次使用时创建）
  --as 身份证号    以哪个账号执行；密码取自环境变量 TUANWU_PASSWORD，终端上也可以现场输入。
                   除 init、demo、version 外的命令都需要它，并按该账号的权限检查
  --now 日期       按哪一天执行（YYYY-MM-DD），只能用于练习数据；默认今天（北京时间）
  --json           在标准输出上输出一个 JSON 值，供程序读取；不加则输出中文表格

退出状态：0 完成；1 被拒绝（输入有误、违反规则或没有权限，标准错误上有一句中文说明，数据没有任何改动）；2 用法错误。
组织用从根组织起以“/”连接的名称路径表示，例如 浙江工商大学团委/信息学院团委/2020级本科1班团支部，也可以用组织编号；团员用身份证号表示。

命令：
`

// wantsHelp tells a request for help (help, --help, -h) in the arguments
// left after the global flags, and for which command ("" for all).
func wantsHelp(rest []string) (topic string, ok bool) {
	if len(rest) > 0 && rest[0] == "help" {
		if len(rest) > 1 {
			return rest[1], true
		}
		return "", true
	}
	for _, a := range rest {
		if a == "--help" || a == "-h" || a == "-help" {
			if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
				return rest[0], true
			}
			return "", true
		}
	}
	return "", false
}

// help prints the usage of all commands or of one, on stdout.
func help(env Env, topic string) int {
	w := env.Stdout
	if topic == "" {
		io.WriteString(w, helpIntro)
		for _, n := range registry {
			fmt.Fprintf(w, "  %-10s %s\n", n.name, n.summary)
		}
		fmt.Fprintln(w, "\n每条命令的用法：tuanwu help 命令，例如 tuanwu help transfer。")
		return exitOK
	}
	if n := find(topic); n != nil {
		fmt.Fprintf(w, "%s：%s\n用法：\n%s\n\n全局参数 --db、--as、--now、--json 见 tuanwu --help。\n", n.name, n.summary, n.help)
		return exitOK
	}
	return usage(env, usagef("没有“%s”这个命令。", topic))
}
