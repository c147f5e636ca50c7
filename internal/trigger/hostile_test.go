package trigger_test

import (
	"os"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

const expected = "expected a CloudEvent"

// hostileFiles says how Decode must reject each file in testdata.
var hostileFiles = []struct {
	file   string
	status int
	code   string
	wants  []string
}{
	{"truncated-object.json", 400, "MalformedEvent", []string{"not valid JSON", "syntax error"}},
	{"truncated-array.json", 400, "MalformedEvent", []string{"not valid JSON"}},
	{"not-json.txt", 400, "UnknownEvent", []string{"not a JSON object or array", expected}},
	{"bare-string.json", 400, "UnknownEvent", []string{expected}},
	{"null.json", 400, "UnknownEvent", []string{expected}},
	{"byte-order-mark.json", 400, "UnknownEvent", []string{expected}},
	{"empty-array.json", 400, "EmptyEvent", []string{"empty", expected}},
	{"empty-object.json", 400, "UnknownEvent", []string{"not recognised", expected}},
	{"unknown-shape.json", 400, "UnknownEvent", []string{"not recognised", expected}},
	{"specversion-number.json", 400, "MalformedEvent", []string{`"specversion" must be a string, not number`}},
	{"data-number.json", 400, "MalformedEvent", []string{"data: must be an object, not number"}},
	{"data-null.json", 400, "MalformedEvent", []string{"source, type and data are required"}},
	{"nested-junk.json", 400, "MalformedEvent", []string{`"imageId" must be a string, not object`}},
	{"responseelements-junk.json", 400, "MalformedEvent", []string{`"responseElements" must be an object, not array`}},
	{"newline-injection.json", 400, "MalformedEvent", []string{`imgc-abc\n`}},
	{"path-traversal.json", 400, "MalformedEvent", []string{"../../cn-hangzhou", "region ID"}},
	{"duplicate-keys.json", 400, "MalformedEvent", []string{"imgc-../../x"}},
	{"array-of-junk.json", 400, "MalformedEvent", []string{"7 of 7 events rejected", "an object", "source, type and data", "and 2 more"}},
	{"http-no-method.json", 400, "MalformedEvent", []string{"requestContext.http.method"}},
	{"http-wrong-types.json", 400, "MalformedEvent", []string{`"body" must be a string, not object`}},
	{"http-headers-not-strings.json", 400, "MalformedEvent", []string{`"headers" must be a string, not array`}},
	{"timer-payload-object.json", 400, "MalformedEvent", []string{`"payload" must be a string, not object`}},
}

func TestDecodeHostileFiles(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range hostileFiles {
		covered[tc.file] = true
		t.Run(tc.file, func(t *testing.T) {
			req, err := trigger.Decode(mustReadTestdata(t, tc.file))
			mustInputError(t, "Decode("+tc.file+")", err, tc.status, tc.code, tc.wants...)
			if len(req.Images) != 0 || req.HTTP != nil {
				t.Errorf("Decode(%s) = %+v, want nothing to act on", tc.file, req)
			}
		})
	}
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !covered[e.Name()] {
			t.Errorf("testdata/%s has no row in hostileFiles", e.Name())
		}
	}
}

// Large hostile inputs are built here rather than stored.
func TestDecodeLargeInputs(t *testing.T) {
	validItem := cloudEvent("1", direct)
	tests := []struct {
		name   string
		in     string
		status int
		code   string
		wants  []string
	}{
		{"over MaxEventBytes", cloudEvent("1", `{"imageId":"imgc-abc","pad":"`+strings.Repeat("x", trigger.MaxEventBytes)+`"}`),
			413, "EventTooLarge", []string{"more than"}},
		{"huge array of junk", "[" + strings.Repeat("1,", trigger.MaxEventBytes/2-2) + "1]",
			400, "MalformedEvent", []string{"3145727 of 3145727 events rejected", "and 3145722 more"}},
		{"huge array of empty objects", "[" + strings.Repeat("{},", 100000) + "{}]",
			400, "MalformedEvent", []string{"100001 of 100001 events rejected"}},
		{"deep nesting", strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
			400, "MalformedEvent", []string{"not valid JSON"}},
		{"deep nesting in data", cloudEvent("1", `{"x":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}`),
			400, "MalformedEvent", []string{"not valid JSON"}},
		{"huge image ID", cloudEvent("1", `{"imageId":"imgc-`+strings.Repeat("a", 1<<20)+`"}`),
			400, "MalformedEvent", []string{"imgc-aaaa", "…"}},
		{"huge region", cloudEvent("1", `{"imageId":"imgc-a","regionId":"cn-`+strings.Repeat("a", 1<<20)+`"}`),
			400, "MalformedEvent", []string{"cn-aaaa", "…"}},
		{"huge batch with one bad item", join(append(repeat(validItem, 5000), `{"source":"s","type":"t","data":"x"}`)...),
			400, "MalformedEvent", []string{"1 of 5001 events rejected", "item 5000"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && len(tc.in) > 1<<20 {
				t.Skip("large input; runs without -short")
			}
			_, err := trigger.Decode([]byte(tc.in))
			mustInputError(t, "Decode("+tc.name+")", err, tc.status, tc.code, tc.wants...)
		})
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestDecodeEmptyAndScalars(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code string
	}{
		{"empty", "", "EmptyEvent"},
		{"whitespace", " \n\t", "EmptyEvent"},
		{"number", "42", "UnknownEvent"},
		{"boolean", "true", "UnknownEvent"},
		{"XML", "<xml/>", "UnknownEvent"},
		{"open brace", "{", "MalformedEvent"},
		{"open bracket", "[", "MalformedEvent"},
		{"two objects", "{} {}", "MalformedEvent"},
		{"trailing text", `{"specversion":"1.0"} trailing`, "MalformedEvent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := trigger.Decode([]byte(tc.in))
			mustInputError(t, "Decode("+tc.in+")", err, 400, tc.code)
		})
	}
}
