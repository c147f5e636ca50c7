package config

import (
	"errors"
	"strings"
)

// EnvDebug is read by alibaba-cloud-sdk-go, not by this function: it is no
// setting of ours, so it is not among Variables.
const EnvDebug = "DEBUG"

// checkDebug refuses a DEBUG that turns on the SDK's debug output. That
// output prints every signed request URL, STS token and signature
// included, to stdout, which FC keeps as logs. The SDK reads DEBUG in its
// package init, before main, so unsetting it then is too late: the
// instance must not start.
func checkDebug(v string) error {
	// Parsed as the SDK's utils.Init does: comma-separated, exact parts.
	for _, part := range strings.Split(v, ",") {
		if part == "sdk" {
			return errors.New(`"sdk" makes alibaba-cloud-sdk-go print every signed request, STS token included, to the function's logs; remove it`)
		}
	}
	return nil
}
