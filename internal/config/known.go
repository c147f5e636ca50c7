package config

import (
	"fmt"
	"slices"
	"strings"
)

// KnownRegions are the Alibaba Cloud public-cloud region IDs the documents
// list (help.aliyun.com "Region IDs", the ECS and ACS region tables, the
// service endpoint tables, read December 2026), plus the one finance-cloud
// region they name. Regions marked there as deactivated or decommissioned
// (ap-southeast-2, ap-south-1, cn-nanjing, cn-fuzhou) are left out, so a
// setting that names one is pointed out. WUYING publishes no static list of
// its own (ListRegions answers at run time and "not all are available"),
// so this is every region, not every WUYING region. Regions open every
// year: a region missing here is a warning, never a refusal.
var KnownRegions = []string{
	"cn-hangzhou", "cn-shanghai", "cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote",
	"cn-wulanchabu", "cn-shenzhen", "cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-hongkong",
	"ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5",
	"ap-southeast-6", "ap-southeast-7", "ap-southeast-8",
	"us-east-1", "us-west-1", "us-southeast-1", "eu-central-1", "eu-west-1",
	"me-east-1", "me-central-1",
	"cn-shanghai-finance-1",
}

// KnownRegion reports whether id is in KnownRegions.
func KnownRegion(id string) bool { return slices.Contains(KnownRegions, id) }

// Nearest returns the candidate closest to s by edit distance, the first
// in candidates' order on a tie; "" when there is none.
func Nearest(s string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if d := distance(s, c); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, by bytes: IDs and
// variable names are ASCII.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// regionWarnings names each region a setting gives that is not a known
// region, with the nearest known one: most often a typo, which the API
// would refuse for the whole call.
func regionWarnings(getenv func(string) string) []string {
	var out []string
	for _, name := range []string{EnvDestinationRegions, EnvRegionsByProduct, EnvRegionsBySource, EnvAllowedRegions} {
		for _, id := range regionsNamed(getenv(name)) {
			if !KnownRegion(id) {
				out = append(out, fmt.Sprintf("%s: %s is not a known Alibaba Cloud region (did you mean %s?); it is used as given, since new regions open",
					name, id, Nearest(id, KnownRegions)))
			}
		}
	}
	return out
}

// regionsNamed picks every region ID out of a list or an override
// setting ("KEY=a,b;KEY=c"), keys that are region IDs included, in order
// and once each. Product-type keys are skipped; Load has checked the rest.
func regionsNamed(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '=' }) {
		f = strings.TrimSpace(f)
		if f != "" && strings.Contains(f, "-") && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
