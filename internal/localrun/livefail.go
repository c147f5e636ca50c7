package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/profile"
	"github.com/image-distributor/image-distributor/internal/reading"
	"github.com/image-distributor/image-distributor/internal/sandbox"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// liveFilter is the sweep's own: only User images are ever managed.
var liveFilter = appstream.ImageFilter{ImageType: "User"}

const (
	livePageSize = 100
	// maxLivePages bounds the reading check, as the sweep bounds a listing.
	maxLivePages = 1000
)

// listAction is the RAM action every -live run needs.
const listAction = "appstreaming:" + appstream.ActionList

// explainList turns a failed first ListImage call into what to do about it.
func explainList(err error, endpoint config.Endpoint, f profile.Found) string {
	key := fmt.Sprintf("the key %s (from %s)", profile.MaskKeyID(f.Creds.AccessKeyID), f.From)
	needs := "It needs " + listAction + ", and for -apply appstreaming:" + appstream.ActionDistribute + " as well."
	var ae *appstream.Error
	if !errors.As(err, &ae) {
		return "ListImage failed: " + err.Error()
	}
	switch code := ae.Code; {
	case code == appstream.CodeNetwork || code == appstream.CodeTimeout || code == appstream.CodeDeadline:
		return fmt.Sprintf("cannot reach the appstream-center API at %s: %v. Check the network or proxy; an account on the "+
			"international site needs -env %s=appstream-center.ap-southeast-1.aliyuncs.com", endpoint, err, endpointVariable)
	case strings.HasPrefix(code, "InvalidAccessKeyId"):
		return fmt.Sprintf("%s was refused (%v): it is unknown to Alibaba Cloud or disabled; check it in the RAM console. %s", key, err, needs)
	case code == "SignatureDoesNotMatch":
		return fmt.Sprintf("%s was refused (%s): its secret does not match it. %s", key, code, needs)
	case strings.Contains(code, "SecurityToken"):
		return fmt.Sprintf("%s was refused (%v): its STS token has expired or belongs to another key; get a new one. %s", key, err, needs)
	case strings.HasPrefix(code, "Forbidden") || strings.HasPrefix(code, "NoPermission"):
		return fmt.Sprintf("%s may not list images (%v). Grant it %s (the policy in the README's Deploy section has it); "+
			"for -apply, appstreaming:%s as well.", key, err, listAction, appstream.ActionDistribute)
	}
	return fmt.Sprintf("ListImage at %s failed: %v", endpoint, err)
}

// readRest reads the pages after the first for the reading check alone:
// the function lists what it needs itself. A page the parser refuses is
// already in the tally and the walk goes on; a page that cannot be had
// after a few tries ends the walk, which then says how far it got.
func readRest(ctx context.Context, prog *progress, api *appstream.Client, creds config.Credentials, first appstream.Page, tally *reading.Tally, out io.Writer) {
	sweep.NoteHomes(tally, first.Images)
	n := min((first.Total+livePageSize-1)/livePageSize, maxLivePages)
	if n < 2 {
		return
	}
	end := prog.step(fmt.Sprintf("reading ListImage pages 2 to %d for the reading check", n))
	for p := 2; p <= n; p++ {
		var err error
		for try := range 3 {
			var page appstream.Page
			if page, err = api.ListPage(ctx, creds, liveFilter, p, livePageSize); !retry(err) || try == 2 {
				sweep.NoteHomes(tally, page.Images)
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second << try):
			}
		}
		if err != nil && !unreadable(err) {
			end(err)
			fmt.Fprintf(out, "The reading check covers pages 1 to %d of %d: page %d: %v\n", p-1, n, p, err)
			return
		}
	}
	end(nil)
}

// retry tells a failure worth another try; a refused page is not one.
func retry(err error) bool {
	var ae *appstream.Error
	return errors.As(err, &ae) && ae.Class == appstream.Retryable && !unreadable(err)
}

// unreadable tells an answer the parser refused: the reading check has it.
func unreadable(err error) bool {
	var ae *appstream.Error
	return errors.As(err, &ae) && ae.Code == appstream.CodeMalformed && ae.HTTPStatus == 200
}

// guard replaces every form of the secrets (sandbox.SecretForms) in what
// goes through it with removedSecret. Nothing -live prints should hold
// one: this is the last line of defence, for a message nobody foresaw, and
// the tests check that it never had to act.
type guard struct {
	mu    sync.Mutex
	w     io.Writer
	forms []string
}

// removedSecret marks where the guard removed a secret.
const removedSecret = "[secret removed]"

func newGuard(w io.Writer, secrets []string) *guard {
	g := &guard{w: w}
	for _, s := range secrets {
		g.forms = append(g.forms, sandbox.SecretForms(s)...)
	}
	// Longest first, so a whole value goes before the runs inside it.
	slices.SortFunc(g.forms, func(a, b string) int { return len(b) - len(a) })
	return g
}

func (g *guard) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	s := string(p)
	for _, f := range g.forms {
		s = strings.ReplaceAll(s, f, removedSecret)
	}
	if _, err := io.WriteString(g.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
