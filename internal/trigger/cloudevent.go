package trigger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// cloudEvent is the CloudEvents 1.0 envelope EventBridge delivers. Its
// aliyunregionid is deliberately not read: it is the region of the bus the
// event reached, the trigger's own region, which says nothing about where
// a centralized image was built.
type cloudEvent struct {
	ID          string          `json:"id"`
	Source      string          `json:"source"`
	SpecVersion string          `json:"specversion"`
	Type        string          `json:"type"`
	Data        json.RawMessage `json:"data"`
}

// maxReportedErrors keeps one bad batch from producing a megabyte of error text.
const maxReportedErrors = 5

// decodeBatch decodes an array of CloudEvents. Every well-formed image in it
// is returned even when other items are rejected, so one bad item does not
// hold back the rest; the error then lists what was rejected.
func decodeBatch(raw []byte) (Request, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return Request{}, inputErr(400, "MalformedEvent", "event is not valid JSON: "+jsonMessage(err))
	}
	if len(items) == 0 {
		return Request{}, inputErr(400, "EmptyEvent", "event array is empty; "+expected)
	}
	req := Request{Kind: KindEvent}
	var probs problems
	for i, item := range items {
		img, skip, err := decodeCloudEvent(item)
		switch {
		case err != nil:
			probs.add("item %d: %v", i, err)
		case skip != nil:
			req.Skipped = append(req.Skipped, *skip)
		default:
			req.Images = append(req.Images, img)
		}
	}
	return req, probs.rejected("MalformedEvent", "events", len(items))
}

// problems collects why items of a batch were refused. It keeps only the
// messages it reports: a 6 MB array of junk would otherwise hold millions
// of strings in memory only to print five of them.
type problems struct {
	n    int
	msgs []string
}

func (p *problems) add(format string, args ...any) {
	p.n++
	if len(p.msgs) < maxReportedErrors {
		p.msgs = append(p.msgs, fmt.Sprintf(format, args...))
	}
}

// rejected summarises the items of a batch that were refused, or returns nil.
func (p *problems) rejected(code, what string, total int) error {
	if p.n == 0 {
		return nil
	}
	msgs := p.msgs
	if p.n > len(msgs) {
		msgs = append(msgs, fmt.Sprintf("and %d more", p.n-len(msgs)))
	}
	return inputErr(400, code, fmt.Sprintf("%d of %d %s rejected: %s", p.n, total, what, strings.Join(msgs, "; ")))
}

func decodeCloudEvent(item json.RawMessage) (Image, *Skip, error) {
	item = unquote(item)
	var ev cloudEvent
	if err := json.Unmarshal(item, &ev); err != nil {
		return Image{}, nil, fmt.Errorf("not a CloudEvent: %s", jsonMessage(err))
	}
	if ev.Source == "" || ev.Type == "" || len(ev.Data) == 0 || string(ev.Data) == "null" {
		return Image{}, nil, fmt.Errorf("not a CloudEvent: source, type and data are required")
	}
	eventID := ev.Source + "/" + ev.ID
	var d eventData
	if err := json.Unmarshal(unquote(ev.Data), &d); err != nil {
		return Image{}, nil, fmt.Errorf("event %s: data: %s", eventID, jsonMessage(err))
	}
	img, skipReason := d.image()
	if skipReason != "" {
		return Image{}, &Skip{EventID: eventID, Reason: skipReason}, nil
	}
	img.EventID = eventID
	if err := img.validate(); err != nil {
		return Image{}, nil, fmt.Errorf("event %s: %w", eventID, err)
	}
	return img, nil, nil
}

// unquote unwraps a JSON string that holds JSON, the form event-streaming
// deliveries and some sources use; anything else is returned unchanged.
func unquote(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return raw
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return raw
	}
	return json.RawMessage(s)
}
