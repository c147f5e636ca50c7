package ids_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/image-distributor/image-distributor/internal/ids"
)

// hostile inputs no check may accept, whatever the identifier.
var hostile = []struct{ name, in string }{
	{"newline injection", "cn-hangzhou\nlevel=error"},
	{"trailing newline", "cn-hangzhou\n"},
	{"carriage return", "cn-hangzhou\r"},
	{"NUL byte", "cn-hangzhou\x00"},
	{"path traversal", "../../etc/passwd"},
	{"slash", "cn-hangzhou/x"},
	{"unicode lookalike", "cn-hаngzhou"}, // Cyrillic а
	{"fullwidth", "ｃｎ-hangzhou"},
	{"leading space", " cn-hangzhou"},
	{"trailing space", "cn-hangzhou "},
	{"quote", `cn-hangzhou"`},
	{"very long", "cn-" + strings.Repeat("a", 10000)},
}

func TestValidRegion(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"two parts", "cn-hangzhou", true},
		{"three parts with digit", "ap-southeast-1", true},
		{"four parts", "cn-north-2-gov-1", true},
		{"longest allowed", "cn-" + strings.Repeat("a", 37), true},
		{"empty", "", false},
		{"no dash", "cnhangzhou", false},
		{"uppercase", "CN-HANGZHOU", false},
		{"mixed case", "cn-Hangzhou", false},
		{"one-letter prefix", "c-hangzhou", false},
		{"digit prefix", "1n-hangzhou", false},
		{"trailing dash", "cn-hangzhou-", false},
		{"double dash", "cn--hangzhou", false},
		{"underscore", "cn_hangzhou", false},
		{"too many parts", "a-b-c-d-e-f", false},
		{"one over the length cap", "cn-" + strings.Repeat("a", 38), false},
	}
	for _, h := range hostile {
		tests = append(tests, struct {
			name string
			in   string
			want bool
		}{h.name, h.in, false})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids.ValidRegion(tc.in); got != tc.want {
				t.Errorf("ValidRegion(%q) = %v, want %v", tc.in, got, tc.want)
			}
			if err := ids.CheckRegion(tc.in); (err == nil) != tc.want {
				t.Errorf("CheckRegion(%q) = %v, want error: %v", tc.in, err, !tc.want)
			}
		})
	}
}

// checkCase is a row for the Check functions: ok inputs return nil.
type checkCase struct {
	name string
	in   string
	ok   bool
}

func runChecks(t *testing.T, fname string, check func(string) error, tests []checkCase) {
	t.Helper()
	for _, h := range hostile {
		tests = append(tests, checkCase{h.name, h.in, false})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := check(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("%s(%q) = %v, want ok: %v", fname, tc.in, err, tc.ok)
			}
			if err == nil {
				return
			}
			// Errors echo bounded input, so a hostile value cannot flood logs.
			if n := len(err.Error()); n > 200 {
				t.Errorf("%s(%d-byte input) error is %d bytes, want at most 200", fname, len(tc.in), n)
			}
		})
	}
}

func TestCheckImage(t *testing.T) {
	runChecks(t, "CheckImage", ids.CheckImage, []checkCase{
		{"typical", "imgc-07jyldnd9iab12cd", true},
		{"uppercase body", "imgc-ABC123", true},
		{"one character", "imgc-1", true},
		{"64 characters", "imgc-" + strings.Repeat("a", 64), true},
		{"65 characters", "imgc-" + strings.Repeat("a", 65), false},
		{"empty", "", false},
		{"prefix only", "imgc-", false},
		{"img- form", "img-07jyldnd9iab12cd", true},
		{"img- one character", "img-1", true},
		{"img- 64 characters", "img-" + strings.Repeat("Z", 64), true},
		{"img- 65 characters", "img-" + strings.Repeat("Z", 65), false},
		{"img- prefix only", "img-", false},
		{"img- dash in body", "img-a-b", false},
		{"ECS image", "m-bp1abc", false},
		{"uppercase prefix", "IMGC-abc", false},
		{"uppercase img- prefix", "IMG-abc", false},
		{"no dash", "imgabc", false},
		{"both prefixes", "img-imgc-abc", false},
		{"version ID", "iv-abc", false},
		{"dash in body", "imgc-abc-def", false},
		{"wildcard", "imgc-*", false},
	})
}

func TestCheckVersion(t *testing.T) {
	runChecks(t, "CheckVersion", ids.CheckVersion, []checkCase{
		{"empty means latest", "", true},
		{"typical", "iv-07jyldnd9iab34ef", true},
		{"64 characters", "iv-" + strings.Repeat("9", 64), true},
		{"65 characters", "iv-" + strings.Repeat("9", 65), false},
		{"prefix only", "iv-", false},
		{"image ID", "imgc-abc", false},
		{"uppercase prefix", "IV-abc", false},
		{"space", "iv-abc def", false},
	})
}

func TestCheckProductType(t *testing.T) {
	tests := []checkCase{{"empty means default", "", true}}
	for _, p := range ids.ProductTypes {
		tests = append(tests, checkCase{p, p, true})
	}
	tests = append(tests,
		checkCase{"lowercase", "cloudapp", false},
		checkCase{"uppercase", "CLOUDAPP", false},
		checkCase{"unknown", "CloudPhone", false},
		checkCase{"list", "CloudApp,CloudDesktop", false},
	)
	runChecks(t, "CheckProductType", ids.CheckProductType, tests)
}

func TestErrorsNameWhatWasExpected(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		wants []string
	}{
		{"region", ids.CheckRegion("X"), []string{`"X"`, "cn-hangzhou"}},
		{"image", ids.CheckImage("X"), []string{`"X"`, "imgc-", "img-"}},
		{"version", ids.CheckVersion("X"), []string{`"X"`, "iv-"}},
		{"product type", ids.CheckProductType("X"), []string{`"X"`, "CloudApp", "CloudDesktop", "WuyingServer"}},
		{"newline is quoted", ids.CheckRegion("a\nb"), []string{`"a\nb"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range tc.wants {
				if tc.err == nil || !strings.Contains(tc.err.Error(), w) {
					t.Errorf("error = %v, want it to contain %q", tc.err, w)
				}
			}
			if strings.Contains(tc.err.Error(), "\n") {
				t.Errorf("error = %q, contains a raw newline", tc.err)
			}
		})
	}
}

// The regexps are the specification the hand-written matchers implement.
var (
	regionSpec  = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+){1,4}$`)
	imageSpec   = regexp.MustCompile(`^(imgc|img)-[a-zA-Z0-9]{1,64}$`)
	versionSpec = regexp.MustCompile(`^iv-[a-zA-Z0-9]{1,64}$`)
)

func FuzzMatchersAgreeWithSpec(f *testing.F) {
	for _, s := range []string{"cn-hangzhou", "ap-southeast-1", "cn-north-2-gov-1", "a-b-c-d-e-f", "cn--x", "cn-x-",
		"imgc-07jyldnd9iab12cd", "imgc-", "img-9aB", "img-", "imgx-a", "iv-ABC9", "iv-a-b", "cn-hаngzhou"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ids.ValidRegion(s), len(s) <= 40 && regionSpec.MatchString(s); got != want {
			t.Errorf("ValidRegion(%q) = %v, spec says %v", s, got, want)
		}
		if got, want := ids.CheckImage(s) == nil, imageSpec.MatchString(s); got != want {
			t.Errorf("CheckImage(%q) ok = %v, spec says %v", s, got, want)
		}
		if got, want := ids.CheckVersion(s) == nil, s == "" || versionSpec.MatchString(s); got != want {
			t.Errorf("CheckVersion(%q) ok = %v, spec says %v", s, got, want)
		}
	})
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 16, "short"},
		{"exactly-16-bytes", 16, "exactly-16-bytes"},
		{"seventeen-bytes!!", 16, "seventeen-bytes!…"},
		{"ab€cd", 3, "ab…"}, // € is 3 bytes; never split a rune
		{"€€", 4, "€…"},
	}
	for _, tc := range tests {
		if got := ids.Clip(tc.in, tc.max); got != tc.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
		if got := ids.Clip(tc.in, tc.max); !utf8.ValidString(got) {
			t.Errorf("Clip(%q, %d) = %q, not valid UTF-8", tc.in, tc.max, got)
		}
	}
}
