package app

import (
	"context"
	"fmt"
	"math/rand"
	"strconv"
	"time"
)

// DemoOptions sets the size and seed of the demo university.
type DemoOptions struct {
	Members int   // default 20,000; at most 1,000,000
	Seed    int64 // the same seed gives the same data
	// Neighbours also adds, as top-level organizations of the store, a
	// 团省委 with its 特殊单位专属库 and street organizations, other
	// universities and a company (no administrators): for practising
	// transfers that stay inside one store (a provincial store's view).
	Neighbours bool
}

// DemoResult tells what Demo built and how to sign in.
type DemoResult struct {
	Root            Org
	AdminName       string
	AdminID         string
	InitialPassword string
	Orgs            int
	Members         int
}

// DemoAdminID is the 身份证号 of the demo university's administrator.
const DemoAdminID = "330106198805120015"

var demoColleges = []struct {
	name    string
	majors  []string
	zongzhi []string // 团总支 grouping the majors, when the college has them
}{
	{"信息与电子工程学院", []string{"计算机科学与技术", "软件工程", "电子信息工程", "通信工程"}, []string{"计算机系团总支", "电子系团总支"}},
	{"经济学院", []string{"经济学", "国际经济与贸易", "财政学"}, nil},
	{"工商管理学院", []string{"工商管理", "市场营销", "人力资源管理"}, []string{"工商管理系团总支", "营销系团总支"}},
	{"财务与会计学院", []string{"会计学", "财务管理", "审计学"}, nil},
	{"金融学院", []string{"金融学", "保险学", "金融工程"}, nil},
	{"法学院", []string{"法学", "知识产权"}, nil},
	{"外国语学院", []string{"英语", "日语", "商务英语"}, nil},
	{"人文与传播学院", []string{"汉语言文学", "新闻学", "广告学"}, nil},
	{"统计与数学学院", []string{"统计学", "数学与应用数学", "经济统计学"}, nil},
	{"食品与生物工程学院", []string{"食品科学与工程", "生物工程"}, nil},
	{"环境科学与工程学院", []string{"环境工程", "环境科学"}, nil},
	{"旅游与城乡规划学院", []string{"旅游管理", "城乡规划", "酒店管理"}, nil},
	{"公共管理学院", []string{"行政管理", "劳动与社会保障"}, nil},
	{"艺术设计学院", []string{"视觉传达设计", "环境设计", "产品设计"}, nil},
	{"管理工程与电子商务学院", []string{"电子商务", "物流管理", "信息管理与信息系统"}, []string{"电子商务系团总支", "管理工程系团总支"}},
	{"东方语言与哲学学院", []string{"朝鲜语", "哲学"}, nil},
	{"马克思主义学院", []string{"思想政治教育"}, nil},
	{"数字经济学院", []string{"数字经济", "数据科学与大数据技术"}, nil},
	{"体育与健康学院", []string{"社会体育指导与管理"}, nil},
	{"国际教育学院", []string{"国际商务", "汉语国际教育"}, nil},
}

var (
	demoSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	demoMale     = []rune("伟强磊军洋勇杰涛明超浩鹏宇辉斌俊峰博文轩子豪晨阳睿天翔毅健凯航哲彬志远航瑞泽")
	demoFemale   = []rune("芳娜敏静丽艳娟霞秀婷雪琳晶欣悦怡佳妍婉琪璐瑶倩颖萱雨涵思诗梦甜蕾")
	demoRegions  = []string{
		"330102", "330105", "330106", "330108", "330110", "330203", "330212", "330302", "330324", "330402",
		"330502", "330602", "330702", "330782", "330802", "330902", "331002", "331102", "320102", "320583",
		"340104", "360102", "410105", "420106", "430104", "500103", "510107", "350203", "440106", "370202",
	}
	demoEthnic = []string{"回族", "壮族", "满族", "畲族", "土家族", "苗族", "蒙古族", "朝鲜族"}
)

type demoBranch struct {
	org     *Org
	cohort  int  // entry year; 0 for the teachers' branch
	grad    bool // a postgraduate branch
	teacher bool
}

// Demo fills an empty store with a believable university: a school committee,
// about 20 college committees (some with 团总支), undergraduate and
// postgraduate branches, a teachers' branch, an 出国(境)学习研究 branch,
// opts.Members members, and outside organizations that transfers can reach.
// It runs in one transaction; progress is called with members written so far.
func (s *Service) Demo(ctx context.Context, opts DemoOptions, progress func(done, total int)) (DemoResult, error) {
	if opts.Members == 0 {
		opts.Members = 20000
	}
	if opts.Members < 0 || opts.Members > 1_000_000 {
		return DemoResult{}, Errorf(EInvalid, "演示团员人数应在 1 到 1000000 之间。")
	}
	if opts.Seed == 0 {
		opts.Seed = 20200609
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	hash, err := HashPassword(InitialPassword(DemoAdminID))
	if err != nil {
		return DemoResult{}, err
	}
	rng := rand.New(rand.NewSource(opts.Seed))
	now := s.now()
	year := now.Year()
	if now.Month() < 9 {
		year-- // the newest cohort enters in September
	}
	season := now.Year()
	if now.Month() < 7 {
		season-- // the last graduation season that has passed
	}
	res := DemoResult{AdminName: "周明远", AdminID: DemoAdminID, InitialPassword: InitialPassword(DemoAdminID)}
	err = s.Store.Write(ctx, func(tx Tx) error {
		d := &demoBuild{tx: tx, now: now, res: &res, opts: opts, year: year, season: season, cols: map[int]*Org{}}
		root, err := d.school(s, hash)
		if err != nil {
			return err
		}
		if err := d.colleges(root); err != nil {
			return err
		}
		if opts.Neighbours {
			if err := s.demoOutside(tx, d.add); err != nil {
				return err
			}
		}
		if err := s.demoMembers(ctx, tx, rng, d.branches, opts.Members, progress, &res); err != nil {
			return err
		}
		if !opts.Neighbours {
			if err := s.demoSeason(tx, root.ID, d.cols, d.graduated, season, year, &res); err != nil {
				return err
			}
		}
		// The root as stored now: its path and member count.
		res.Root, err = tx.Org(root.ID)
		return err
	})
	if err != nil {
		return DemoResult{}, err
	}
	return res, nil
}

// demoBuild is the demo university's organizations as Demo adds them.
type demoBuild struct {
	tx           Tx
	now          time.Time
	res          *DemoResult
	opts         DemoOptions
	year, season int // the newest cohort's entry year; the last graduation season
	branches     []demoBranch
	cols         map[int]*Org // the college committees, by index in demoColleges
	graduated    []*Org       // last season's graduates' branches (R-W6)
}

// add inserts an organization and counts it.
func (d *demoBuild) add(parent *Org, name, kind, cat, prov string) (*Org, error) {
	o := &Org{Name: name, Kind: kind, Category: cat, Province: prov, CreatedAt: d.now}
	if parent != nil {
		o.ParentID = parent.ID
	}
	if err := d.tx.InsertOrg(o); err != nil {
		return nil, fmt.Errorf("demo org %s: %w", name, err)
	}
	d.res.Orgs++
	return o, nil
}

// school adds the school committee to an empty store, marks the store as
// practice data (练习数据) and makes its administrator, with the teachers'
// branch.
func (d *demoBuild) school(s *Service, hash string) (*Org, error) {
	n, err := d.tx.CountOrgs()
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, Errorf(EConflict, "这个存储里已经有数据，演示数据只能载入到新的空存储中。请用 --db 指定一个新文件。")
	}
	root, err := d.add(nil, "浙江明理大学团委", KindCommittee, "", "浙江")
	if err != nil {
		return nil, err
	}
	d.res.Root = *root
	if err := d.tx.SetSetting("root_org", strconv.FormatInt(root.ID, 10)); err != nil {
		return nil, err
	}
	if err := d.tx.SetSetting(settingPractice, "1"); err != nil {
		return nil, err
	}
	if err := s.createAdmin(d.tx, nil, *root, DemoAdminID, d.res.AdminName, hash); err != nil {
		return nil, err
	}
	teachers, err := d.add(root, "校团委教工团支部", KindBranch, CatTeacher, "浙江")
	if err != nil {
		return nil, err
	}
	d.branches = append(d.branches, demoBranch{org: teachers, teacher: true})
	return root, nil
}

// colleges adds the college committees with their branches: undergraduate
// classes of four cohorts and postgraduate branches, the number of classes
// growing with the number of members asked for.
func (d *demoBuild) colleges(root *Org) error {
	slots := 0
	for _, c := range demoColleges {
		slots += len(c.majors)*4 + 3
	}
	classes := max(1, (d.opts.Members+slots*32-1)/(slots*32))
	for ci := range demoColleges {
		if err := d.college(root, ci, classes); err != nil {
			return err
		}
	}
	return nil
}

// college adds demoColleges[ci] and its branches.
func (d *demoBuild) college(root *Org, ci, classes int) error {
	c := demoColleges[ci]
	col, err := d.add(root, c.name+"团委", KindCommittee, "", "浙江")
	if err != nil {
		return err
	}
	d.cols[ci] = col
	if !d.opts.Neighbours && (ci == 1 || ci == 3) {
		// Last season's graduates (R-W6): a 毕业生团组织 whose
		// members transfer out during the season.
		b, err := d.add(col, fmt.Sprintf("%d级%s1班团支部", d.season-4, c.majors[0]), KindBranch, CatGraduate, "浙江")
		if err != nil {
			return err
		}
		b.GradMonth = fmt.Sprintf("%d-06", d.season)
		if err := d.tx.UpdateOrg(*b); err != nil {
			return err
		}
		d.graduated = append(d.graduated, b)
		d.branches = append(d.branches, demoBranch{org: b, cohort: d.season - 4})
	}
	for mi, major := range c.majors {
		parent := col
		if len(c.zongzhi) > 0 {
			if parent, err = d.zongzhi(col, c.zongzhi[mi*len(c.zongzhi)/len(c.majors)]); err != nil {
				return err
			}
		}
		for cohort := d.year - 3; cohort <= d.year; cohort++ {
			for k := 1; k <= classes; k++ {
				b, err := d.add(parent, fmt.Sprintf("%d级%s%d班团支部", cohort, major, k), KindBranch, CatNormal, "浙江")
				if err != nil {
					return err
				}
				d.branches = append(d.branches, demoBranch{org: b, cohort: cohort})
			}
		}
	}
	if err := d.postgraduates(col, c.majors[0], classes); err != nil {
		return err
	}
	if ci == 0 || (ci == 1 && !d.opts.Neighbours) {
		if _, err := d.add(col, "出国(境)学习研究团员团支部", KindBranch, CatAbroad, "浙江"); err != nil {
			return err
		}
	}
	return nil
}

// zongzhi is the college's 团总支 of that name, added when first needed.
func (d *demoBuild) zongzhi(col *Org, name string) (*Org, error) {
	zz, err := d.tx.OrgByName(col.ID, name)
	if IsNotFound(err) {
		return d.add(col, name, KindGeneralBranch, "", "浙江")
	}
	if err != nil {
		return nil, err
	}
	return &zz, nil
}

// postgraduates adds the college's master's branches of three programs.
func (d *demoBuild) postgraduates(col *Org, major string, classes int) error {
	for pi, prog := range []string{"2年制", "2.5年制", "3年制"} {
		cohort := d.year - pi%2
		for k := 1; k <= classes; k++ {
			name := fmt.Sprintf("%d级%s硕士研究生（%s）团支部", cohort, major, prog)
			if classes > 1 {
				name = fmt.Sprintf("%d级%s硕士研究生%d班（%s）团支部", cohort, major, k, prog)
			}
			b, err := d.add(col, name, KindBranch, CatNormal, "浙江")
			if err != nil {
				return err
			}
			d.branches = append(d.branches, demoBranch{org: b, cohort: cohort, grad: true})
		}
	}
	return nil
}

// demoOutside adds the organizations outside the university.
func (s *Service) demoOutside(tx Tx, add func(*Org, string, string, string, string) (*Org, error)) error {
	prov, err := add(nil, "共青团浙江省委员会", KindProvince, "", "浙江")
	if err != nil {
		return err
	}
	if _, err := add(prov, "浙江省特殊单位专属库", KindBranch, CatSpecial, "浙江"); err != nil {
		return err
	}
	city, err := add(prov, "共青团杭州市委员会", KindCity, "", "浙江")
	if err != nil {
		return err
	}
	street, err := add(city, "西湖区文新街道团工委", KindWorkCommittee, "", "浙江")
	if err != nil {
		return err
	}
	if _, err := add(street, "文新街道学社衔接临时团支部", KindBranch, CatTransit, "浙江"); err != nil {
		return err
	}
	if _, err := add(street, "文新街道社区团支部", KindBranch, CatNormal, "浙江"); err != nil {
		return err
	}
	for _, u := range []struct{ uni, college, branch, prov string }{
		{"浙江钱塘理工大学团委", "研究生院团委", "2026级计算机技术硕士研究生团支部", "浙江"},
		{"江苏金陵师范大学团委", "教育科学学院团委", "2026级教育学硕士研究生团支部", "江苏"},
		{"北京燕园科技大学团委", "计算机学院团委", "2026级软件工程硕士研究生团支部", "北京"},
		{"广州珠江大学团委", "管理学院团委", "2026级企业管理硕士研究生团支部", "广东"},
		{"厦门鹭岛大学团委", "海洋学院团委", "2026级海洋科学硕士研究生团支部", "福建"},
		{"杭州未来科技有限公司团委", "研发中心团总支", "研发一部团支部", "浙江"},
	} {
		uni, err := add(nil, u.uni, KindCommittee, "", u.prov)
		if err != nil {
			return err
		}
		kind := KindCommittee
		if u.college == "研发中心团总支" {
			kind = KindGeneralBranch
		}
		col, err := add(uni, u.college, kind, "", u.prov)
		if err != nil {
			return err
		}
		if _, err := add(col, u.branch, KindBranch, CatNormal, u.prov); err != nil {
			return err
		}
	}
	return nil
}
