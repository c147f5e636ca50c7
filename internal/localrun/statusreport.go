package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// A status query's answer (GET) is shown one row per destination region,
// with the image, its verdict and, for the view of every managed image,
// what the next sweep would do, on the image's first row.

// isStatus tells a status answer from a distribution's result: it has a
// verdict (one image) or images (every managed image).
func (a answer) isStatus() bool {
	return a.result.get("verdict") != nil || a.result.get("images") != nil
}

// statusRows lists the answer's images, one row per region; an image with
// no destination region gets one row with none.
func (a answer) statusRows() (rows [][]string, next bool) {
	images := objects(a.result.get("images"))
	if a.result.get("verdict") != nil {
		images = []object{a.result}
	}
	for _, img := range images {
		n := objectOf(img.get("nextSweep"))
		nextCell := text(n.get("action"))
		if r := scalar(n.get("regions")); r != "" {
			nextCell += " " + r
		}
		next = next || nextCell != ""
		first := []string{text(img.get("imageId")), text(img.get("status")), text(img.get("verdict")), nextCell}
		regions := objects(img.get("regions"))
		if len(regions) == 0 {
			rows = append(rows, append(first, "(none)", "", ""))
		}
		for i, r := range regions {
			cells := []string{"", "", "", ""}
			if i == 0 {
				cells = first
			}
			rows = append(rows, append(cells, text(r.get("region")), text(r.get("state")), text(r.get("progress"))))
		}
	}
	return rows, next
}

// statusSummary writes a status answer's table, how much of the listing
// it covers and its message.
func (a answer) statusSummary(w io.Writer) {
	rows, next := a.statusRows()
	if len(rows) == 0 {
		fmt.Fprintln(w, "no images")
	}
	// Every row keeps its empty cells, so that each column lines up; the
	// padding they leave at the ends of lines is cut.
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	for i, r := range append([][]string{{"IMAGE", "IMAGE STATUS", "VERDICT", "NEXT SWEEP", "REGION", "STATE", "PROGRESS"}}, rows...) {
		if i == 0 && len(rows) == 0 {
			break
		}
		if !next { // only the view of every image says what the next sweep does
			r = append(r[:3:3], r[4:]...)
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		if line != "" {
			fmt.Fprintln(w, strings.TrimRight(line, " \n"))
		}
	}
	if a.result.get("listing") != nil {
		l := objectOf(a.result.get("listing"))
		listed, total := text(l.get("pagesListed")), text(l.get("pagesTotal"))
		switch reason := text(l.get("reason")); {
		case text(l.get("complete")) == "true":
			fmt.Fprintf(w, "listing complete: %s of %s pages\n", listed, total)
		case reason != "":
			fmt.Fprintf(w, "listing incomplete: %s of %s pages; %s images not reached: %s\n", listed, total, text(l.get("imagesNotReached")), reason)
		default:
			fmt.Fprintf(w, "listing incomplete: %s of %s pages before the deadline; %s images not reached\n", listed, total, text(l.get("imagesNotReached")))
		}
	}
	if m := text(a.result.get("message")); m != "" {
		fmt.Fprintln(w, m)
	}
}

// objectOf reads v as an object; an empty one when it is not.
func objectOf(v []byte) object {
	o, _ := orderedObject(string(v))
	return o
}
