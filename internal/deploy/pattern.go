package deploy

import (
	"encoding/json"
	"fmt"
	"slices"
)

// matches reports whether event passes an EventBridge filter pattern. It
// knows only the forms the deploy files use: a field lists the values it
// accepts, or holds a nested pattern for a nested object. Anything else is
// an error, so a richer pattern cannot be passed by a check that ignores it.
func matches(pattern, event map[string]any) (bool, error) {
	for key, want := range pattern {
		got, present := event[key]
		switch want := want.(type) {
		case []any:
			if !present || !slices.ContainsFunc(want, func(w any) bool { return equalJSON(w, got) }) {
				return false, nil
			}
		case map[string]any:
			inner, ok := got.(map[string]any)
			if !ok {
				return false, nil
			}
			if ok, err := matches(want, inner); !ok || err != nil {
				return false, err
			}
		default:
			return false, fmt.Errorf("pattern field %q is %T; only value lists and nested objects are understood", key, want)
		}
	}
	return true, nil
}

func equalJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
