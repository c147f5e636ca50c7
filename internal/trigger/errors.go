package trigger

import "fmt"

// InputError rejects an event or request body. It is permanent: the same
// input will fail the same way, so it is never retried. Status is the HTTP
// status an HTTP caller gets for it.
type InputError struct {
	Status  int
	Code    string
	Message string
}

func (e *InputError) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

func inputErr(status int, code, msg string) *InputError {
	return &InputError{Status: status, Code: code, Message: msg}
}
