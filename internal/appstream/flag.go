package appstream

import "strings"

// flag is a ListImage boolean such as VolumeEncryptionEnabled. The SDK
// models it as a bool; a string "true" is read the same, since an RPC
// gateway may render any field as a string. Anything else is false, so an
// unreadable flag never stops a copy that the API would accept.
type flag bool

func (f *flag) UnmarshalJSON(b []byte) error {
	*f = flag(strings.EqualFold(strings.Trim(string(b), `"`), "true"))
	return nil
}
