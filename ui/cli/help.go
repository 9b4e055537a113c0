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

// commandHelp is each command's usage: its forms and what it does.
var commandHelp = []struct{ name, summary, usage string }{
	{"init", "新建存储：根组织和第一位管理员", `tuanwu --db 文件 init --org 名称 [--kind 团委|团省委...] --province 省份 --admin-name 姓名 --admin-id 身份证号 [--practice]
  新建存储：根组织（类别默认为团委）和它的第一位管理员（初始密码为身份证号后 8 位，首次登录须修改）。
  --practice 新建练习数据：可以用 --now 指定日期，窗口顶部显示“练习数据”。
  例：tuanwu --db 我校.db init --org 浙江明理大学团委 --province 浙江 --admin-name 张三 --admin-id 330106198805120015`},
	{"demo", "生成一所演示大学（练习数据）", `tuanwu --db 文件 demo [--members 人数]
  生成一所演示大学（默认约 20,000 名团员，最多 1,000,000），为练习数据。
  管理员 330106198805120015，初始密码 05120015。
  例：tuanwu --db 演示.db demo`},
	{"org", "组织：新增、列出、改名、删除、校外组织目录", `tuanwu org add [--parent 组织] --name 名称 --kind 类别 [--category 类别] [--province 省份]
tuanwu org list [--under 组织] [--find 文字] [--province-scope 北京|广东|福建|否]
tuanwu org rename 组织 --name 新名称
tuanwu org delete 组织                      （只能删除没有下级组织和团员的组织）
tuanwu org outside [--find 文字] [--province-scope ...]   校外组织目录
  类别：团省委、团市委、团委、团工委、团总支、团支部。
  例：tuanwu --as 身份证号 org list --under 浙江明理大学团委/法学院团委`},
	{"member", "团员：录入、修改、查看、列表、导入导出、标记、团籍状态", `tuanwu member add --org 团支部 --name 姓名 --id 身份证号 [--field 名=值 ...]
tuanwu member edit 身份证号 --field 名=值 ...    （姓名和身份证号不能修改）
tuanwu member show 身份证号
tuanwu member list --org 组织 [--find 文字] [--left]   （--left：已转出的团员）
tuanwu member import 文件.xlsx --org 团支部 [--skip-bad]   （全国“团员团干部导入模板”）
tuanwu member export --org 组织 --out 文件.xlsx
tuanwu member mark 身份证号... --teacher | --delayed YYYY-MM --reason 原因
tuanwu member unmark 身份证号...
tuanwu member status 身份证号 --set 超龄离团|自愿退团|开除团籍|恢复团籍 --date 日期 --reason 原因
tuanwu member report-error 身份证号 --kind 身份证|姓名
tuanwu member confirm-deleted 身份证号
  例：tuanwu --as 身份证号 member list --org 浙江明理大学团委/法学院团委 --find 张`},
	{"cadre", "录入本级团干部", `tuanwu cadre add --org 组织 --id 身份证号 --name 姓名 --post 职务 [--nature 专职|兼职|挂职]`},
	{"admin", "管理员：设立、撤销、列出", `tuanwu admin add --org 组织 --id 身份证号
tuanwu admin revoke --org 组织 --id 身份证号
tuanwu admin list --org 组织`},
	{"passwd", "修改自己的密码，或重置他人密码", `tuanwu --as 身份证号 passwd              新密码在终端上输入，或取自环境变量 TUANWU_NEW_PASSWORD
tuanwu --as 身份证号 passwd reset 身份证号   把他人的密码重置为初始密码
  仍在使用初始密码的账号只能先执行 passwd。`},
	{"grad", "毕业时间标记与未标记团支部", `tuanwu grad mark 组织... --month YYYY-MM
tuanwu grad mark 组织... --reason 教师支部|混合支部
tuanwu grad suggest --cohort 年级 --program 本科4|硕士2|硕士2.5|硕士3
tuanwu grad unmarked [--out 文件.xlsx]      （附件4）
  例：tuanwu --as 身份证号 grad mark 浙江明理大学团委/法学院团委/2023级法学1班团支部 --month 2027-06`},
	{"report", "报表：信息录入错误（附件3）、毕业生转接进度", `tuanwu report errors --out 文件.xlsx
tuanwu report graduates --year 年份 [--org 组织] [--out 文件.xlsx]`},
	{"transfer", "组织关系转接：转出、转入、审批、分配团支部", `tuanwu transfer start 身份证号... --reason 原因 [--to 组织 | --outside 校外组织名称 [--province 省份]] [--scope 北京|广东|福建|否] [--unit 单位] [--address 地址] [--remark 备注] [--keep-months 月数]
tuanwu transfer pull --name 姓名 --id 身份证号 --reason 原因 [--to 组织] [--from-outside 校外组织名称]
tuanwu transfer approve 编号 | reject 编号 --reason 原因 | confirm 编号 [--note 说明] [--date 日期]
tuanwu transfer assign 编号 --branch 团支部
tuanwu transfer show 编号 | list [--pending]
  原因：升学、已落实工作单位（有团组织）、已落实工作单位（无团组织）、出国（因公出国/境）、
        出国（境）学习研究、出国（因私出国/境）、未就业、转往特殊单位团组织。
  例：tuanwu --as 身份证号 transfer start 身份证号 --reason 升学 --outside 共青团北京燕园科技大学计算机学院委员会 --scope 北京`},
	{"sweep", "办理到期的默认通过和提醒", `tuanwu --as 身份证号 sweep
  按 --now 的日期办理到期的默认通过（15 天）并发出提醒（10 天）；窗口在启动时和每天自动做同样的事。`},
	{"notices", "当前账号的消息", `tuanwu --as 身份证号 notices`},
	{"letter", "组织关系介绍信：打印、作废、列表", `tuanwu letter 转接编号... --out 文件.pdf [--dues YYYY-MM] [--valid-days 天数]
tuanwu letter void 介绍信编号 --reason 原因
tuanwu letter list`},
	{"check", "检查存储的完整性", `tuanwu --as 身份证号 check`},
	{"backup", "经过校验的在线备份", `tuanwu --as 身份证号 backup --out 文件
  例：tuanwu --db 我校.db --as 身份证号 backup --out D:\备份\团务台-2026-12-01.db`},
	{"restore", "用备份替换存储（原存储另存一份）", `tuanwu --as 身份证号 restore --from 备份文件
  先校验备份；被替换的存储会以带日期的文件名保留在原处。`},
	{"migrate", "把本机存储迁移到学校服务器（PostgreSQL）", `tuanwu --db 文件 --as 身份证号 migrate --to postgres://用户名@服务器地址:5432/数据库名
  把存储文件整体复制到服务器上的空数据库：全部成功或什么都不写；逐表核对行数和校验值，
  操作日志连同校验链原样保留。密码取自环境变量 PGPASSWORD，不要写进命令行。
  只有校级（根组织）管理员可以迁移。迁移后用 --db postgres://… 连接服务器；
  要把服务器上的数据带回本机，用 backup --out 文件.db。`},
	{"version", "程序版本和存储结构版本", `tuanwu [--db 文件] version
  显示程序版本；--db 指定的存储（或已存在的默认存储）的结构版本。不会新建任何文件。`},
	{"audit", "操作日志", `tuanwu --as 身份证号 audit [--since YYYY-MM-DD] [--member 身份证号]`},
}

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
		for _, c := range commandHelp {
			fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
		}
		fmt.Fprintln(w, "\n每条命令的用法：tuanwu help 命令，例如 tuanwu help transfer。")
		return exitOK
	}
	for _, c := range commandHelp {
		if c.name == topic {
			fmt.Fprintf(w, "%s：%s\n用法：\n%s\n\n全局参数 --db、--as、--now、--json 见 tuanwu --help。\n", c.name, c.summary, c.usage)
			return exitOK
		}
	}
	return usage(env, usagef("没有“%s”这个命令。", topic))
}
