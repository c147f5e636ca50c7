package trigger

import (
	"encoding/json"
	"strings"
	"time"
)

// timerEvent is what FC's timer trigger delivers; payload is the free text
// configured on the trigger.
type timerEvent struct {
	TriggerTime string `json:"triggerTime"`
	TriggerName string `json:"triggerName"`
	Payload     string `json:"payload"`
}

// timerPayload is the JSON the timer trigger's payload may hold: images to
// manage besides those the configuration selects.
type timerPayload struct {
	Images []json.RawMessage `json:"images"`
}

func decodeTimer(raw []byte) (Request, error) {
	var ev timerEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		return Request{}, inputErr(400, "MalformedEvent", "timer event: "+jsonMessage(err))
	}
	req := Request{Kind: KindTimer}
	// The tick's own time, not the clock it runs by, says which tick this
	// is: a retried tick repeats its slot (NOTES §3.3 shows RFC 3339).
	req.TickTime, _ = time.Parse(time.RFC3339, ev.TriggerTime)
	if strings.TrimSpace(ev.Payload) == "" {
		// No payload: the sweep manages what the configuration selects.
		return req, nil
	}
	var p timerPayload
	if err := decodeStrict([]byte(ev.Payload), &p); err != nil {
		return req, inputErr(400, "InvalidPayload", `timer payload must be empty or JSON {"images":[{"imageId":"imgc-…"}]}: `+err.Error())
	}
	var probs problems
	for i, item := range p.Images {
		img, err := decodeImage(item)
		if err != nil {
			probs.add("images[%d]: %v", i, err)
			continue
		}
		req.Images = append(req.Images, img)
	}
	return req, probs.rejected("InvalidPayload", "timer payload images", len(p.Images))
}
