package handler

import (
	"fmt"
	"runtime/debug"
)

// InternalError fails an invocation that hit a bug in this function. The
// panic and its stack are logged here, where it is handled; FC gets only
// this error, without the SDK's stackTrace.
type InternalError struct{ RequestID string }

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error in image-distributor (request %s); see the function's error log", e.RequestID)
}

// recovered logs a recovered panic and returns the error to report.
// imageID names the image it was handling, if one, for the alert to
// group by.
func (h *Handler) recovered(inv invocation, r any, imageID string) error {
	ev := h.log.Error().Str("request_id", inv.RequestID)
	if imageID != "" {
		ev = ev.Str("image_id", imageID)
	}
	ev.Str("panic", fmt.Sprint(r)).Str("stack", string(debug.Stack())).Msg("recovered from a panic")
	return &InternalError{RequestID: inv.RequestID}
}
