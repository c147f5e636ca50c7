package reading_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/reading"
)

// good is an image the function reads as it expects.
const good = `{"ImageId":"imgc-good","Status":"AVAILABLE","VersionId":"iv-1","GmtCreate":"2025-04-25 15:13:57",
	"ImageRegionList":["cn-shanghai"],"ImageRegionDistributeList":[{"RegionId":"cn-shanghai","Status":"AVAILABLE","VersionId":"iv-1","Progress":"100%"}],
	"TagList":[{"Key":"k","Value":"v"}]}`

func page(images ...string) []byte {
	return []byte(`{"Count":` + string(rune('0'+len(images))) + `,"Data":[` + strings.Join(images, ",") + `]}`)
}

func TestAddFindsEachOddity(t *testing.T) {
	tests := []struct {
		name  string
		body  []byte
		kind  reading.Kind
		match string // in the example
	}{
		{"slashed time", page(`{"ImageId":"imgc-a","VersionId":"iv","GmtCreate":"2025/04/25 15:13:57"}`), reading.BadTime, `imgc-a: GmtCreate "2025/04/25 15:13:57"`},
		{"no time", page(`{"ImageId":"imgc-a","VersionId":"iv"}`), reading.BadTime, "imgc-a: GmtCreate is missing"},
		{"numeric time", page(`{"ImageId":"imgc-a","VersionId":"iv","GmtCreate":1745565237}`), reading.WrongType, "GmtCreate is a number (1745565237), not a string"},
		{"unknown copy status", page(`{"ImageId":"imgc-a","VersionId":"iv","GmtCreate":"2025-04-25 15:13:57","ImageRegionDistributeList":[{"RegionId":"cn-beijing","Status":"FINISHED","VersionId":"iv"}]}`),
			reading.UnknownStatus, `imgc-a: the copy in cn-beijing has Status "FINISHED"`},
		{"no version", page(`{"ImageId":"imgc-a","GmtCreate":"2025-04-25 15:13:57"}`), reading.NoVersion, "imgc-a: no VersionId"},
		{"copy without version", page(`{"ImageId":"imgc-a","VersionId":"iv","ImageRegionDistributeList":[{"RegionId":"cn-beijing","Status":"INIT"}]}`),
			reading.NoVersion, "imgc-a: the copy in cn-beijing has no VersionId"},
		{"progress as a number", page(`{"ImageId":"imgc-a","VersionId":"iv","ImageRegionDistributeList":[{"RegionId":"cn-beijing","Status":"INIT","VersionId":"iv","Progress":70}]}`),
			reading.WrongType, "ImageRegionDistributeList[0].Progress is a number (70), not a string"},
		{"region list as a string", page(`{"ImageId":"imgc-a","VersionId":"iv","ImageRegionList":"cn-shanghai"}`), reading.WrongType, `ImageRegionList is a string ("cn-shanghai"), not a list`},
		{"count as a string", []byte(`{"Count":"1","Data":[]}`), reading.WrongType, `the answer: Count is a string ("1"), not a number`},
		{"no image ID", page(`{"ImageName":"x"}`), reading.WrongType, `an image without ImageId: {"ImageName":"x"}`},
		{"copies only in the region list", page(`{"ImageId":"imgc-a","VersionId":"iv","ImageRegionList":["cn-shanghai","cn-beijing"],"ImageRegionDistributeList":[]}`),
			reading.NoCopyList, "imgc-a: ImageRegionList holds cn-shanghai, cn-beijing and ImageRegionDistributeList is []"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tally reading.Tally
			tally.Add(tc.body)
			tally.Add(tc.body) // a retried page counts once
			for _, f := range tally.Findings() {
				if f.Kind != tc.kind {
					continue
				}
				if f.Count != 1 || !strings.Contains(strings.Join(f.Examples, "\n"), tc.match) {
					t.Errorf("%s: count %d, examples %q; want 1 with %q", f.Kind, f.Count, f.Examples, tc.match)
				}
				return
			}
		})
	}
}

func TestAddReadsTheDocumentedAnswerAsExpected(t *testing.T) {
	var tally reading.Tally
	tally.Add(page(good, strings.Replace(good, "imgc-good", "imgc-iso", 1)))
	tally.Add([]byte(`{"Count":0}`))
	if !tally.Empty() {
		t.Errorf("Findings() = %+v, want none", tally.Findings())
	}
	var out bytes.Buffer
	tally.Write(&out)
	if want := "Reading check (2 ListImage answers): none."; !strings.HasPrefix(out.String(), want) {
		t.Errorf("Write() = %q, want it to start with %q", out.String(), want)
	}
	var logs bytes.Buffer
	tally.Warn(zerolog.New(&logs))
	if logs.Len() != 0 {
		t.Errorf("Warn() with nothing found logged %s", logs.String())
	}
}

func TestWarnAndWrite(t *testing.T) {
	ctx, tally := reading.Watch(context.Background())
	if reading.From(ctx) != tally || reading.From(context.Background()) != nil {
		t.Fatal("From does not return the Tally Watch made")
	}
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := "imgc-" + string(rune('a'+i))
			reading.From(ctx).Add(page(`{"ImageId":"` + id + `","VersionId":"iv","GmtCreate":"yesterday"}`))
		}()
	}
	wg.Wait()
	var logs bytes.Buffer
	tally.Warn(zerolog.New(&logs))
	line := logs.String()
	for _, want := range []string{`"level":"warn"`, `"status":"reading-check"`, `"oddities":{"gmt_create":5}`, `"pages_checked":5`, `GmtCreate \"yesterday\"`} {
		if !strings.Contains(line, want) {
			t.Errorf("Warn() = %s\nwant %s in it", line, want)
		}
	}
	if n := strings.Count(line, "\n"); n != 1 {
		t.Errorf("Warn() wrote %d lines, want 1", n)
	}
	var out bytes.Buffer
	tally.Write(&out)
	for _, want := range []string{"GmtCreate that does not parse: 5\n", "    and 2 more\n", "  image or copy without VersionId: none\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Write() =\n%s\nwant %q in it", out.String(), want)
		}
	}
}
