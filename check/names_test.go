package check

import (
	"testing"

	"yusuan"
)

func TestNormName(t *testing.T) {
	cases := []struct {
		in, want string
		top      bool
	}{
		{"十一、节能环保支出", "节能环保支出", true},
		{"一、一般公共预算", "一般公共预算", true},
		{"（一）一般公共预算当年支出", "一般公共预算当年支出", false},
		{"1、事业收入", "事业收入", false},
		{"2.经营收入", "经营收入", false},
		{"①公务用车购置费", "公务用车购置费", false},
		{"收 入 总 计", "收入总计", false},
		{"合　计", "合计", false},
		{"一般公共服务支出", "一般公共服务支出", false},
		{"一般", "一般", false},
		{"2080501", "2080501", false},
		{"", "", false},
	}
	for _, c := range cases {
		if got := normName(c.in); got != c.want {
			t.Errorf("normName(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := hasChineseOrdinal(c.in); got != c.top {
			t.Errorf("hasChineseOrdinal(%q) = %v", c.in, got)
		}
	}
}

func TestNormEntity(t *testing.T) {
	cases := map[string]string{
		"阳泉市生态环境局（本级）": "阳泉市生态环境局",
		"阳泉市生态环境局(本级)": "阳泉市生态环境局",
		"阳泉市生态环境局机关":   "阳泉市生态环境局",
		"阳泉市 生态环境局本级":  "阳泉市生态环境局",
		"阳泉市生态环境局城区分局": "阳泉市生态环境局城区分局",
		"ＡＢＣ局":         "ABC局",
		"机关":           "机关",
	}
	for in, want := range cases {
		if got := normEntity(in); got != want {
			t.Errorf("normEntity(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLooksLikeOrg(t *testing.T) {
	cases := map[string]bool{
		"阳泉市生态环境局城区分局":           true,
		"赣州市科技创新服务中心":            true,
		"赣州市科学技术局本级":             true,
		"市生态环境局城区分局环保工作运转 经费":    false,
		"科技创新服务中心全国科技活动周及科普宣传经费": false,
		"科技型中小企业研发费用补助资金":        false,
		"一带一路环境技术交流与转移中心（深圳）":    true, // 47_shenzhen p.78
		"资源环境（深圳）":               false,
	}
	for in, want := range cases {
		if got := looksLikeOrg(in); got != want {
			t.Errorf("looksLikeOrg(%q) = %v", in, got)
		}
	}
}

func TestMoney(t *testing.T) {
	cases := []struct {
		amount, unit string
		v, ulp       int64
		back         string
	}{
		{"108000", "元", 108000 * perYuan, perYuan, "108000"},
		{"10.80", "万元", 108000 * perYuan, 100 * perYuan, "10.80"},
		{"0.000001", "万元", 100, 100, "0.000001"},
		{"-12.70", "万元", -127000 * perYuan, 100 * perYuan, "-12.70"},
		{"1.5", "千元", 1500 * perYuan, 100 * perYuan, "1.5"},
	}
	for _, c := range cases {
		sc := unitScale(c.unit)
		m := toMoney(yusuanAmount(t, c.amount), sc)
		if !m.ok || m.v != c.v || m.ulp != c.ulp {
			t.Errorf("toMoney(%s %s) = %+v, want v=%d ulp=%d", c.amount, c.unit, m, c.v, c.ulp)
		}
		if got := format(m.v, sc, places(m.ulp, sc)); got != c.back {
			t.Errorf("format(%s %s) = %s", c.amount, c.unit, got)
		}
	}
	// 尾差: 9 terms printed to 0.01 万元 tolerate 0.045 万元.
	if v := judge(7595*perYuan*100, 7596*perYuan*100, 9*100*perYuan); v != rounding {
		t.Errorf("75.95 vs 75.96 over 9 terms: %v", v)
	}
	if v := judge(10832*perYuan*100, 10822*perYuan*100, 2*100*perYuan); v != mismatch {
		t.Errorf("108.32 vs 108.22: %v", v)
	}
}

func yusuanAmount(t *testing.T, s string) yusuan.Amount {
	t.Helper()
	a, err := yusuan.ParseAmount(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
