// Command localrun builds the function and runs it once, on loopback,
// against the FC runtime emulator and the appstream-center stand-in:
//
//	go run ./internal/localrun [-env KEY=VALUE]... [events/FILE.json]
//
// It prints the function's JSON log lines, the calls the stand-in received
// and the function's answer. No cloud account or network is involved. The
// stand-in's image catalogue holds the images the event names.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

const defaultEvent = "events/eventbridge-image-created.json"

type envFlags map[string]string

func (e envFlags) String() string { return fmt.Sprint(map[string]string(e)) }

func (e envFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New("want KEY=VALUE")
	}
	e[k] = val
	return nil
}

func main() {
	env := envFlags{}
	flag.Var(env, "env", "set a function environment variable, KEY=VALUE (repeatable)")
	flag.Parse()
	event := defaultEvent
	if flag.NArg() > 0 {
		event = flag.Arg(0)
	}
	if err := run(event, env); err != nil {
		fmt.Fprintln(os.Stderr, "localrun:", err)
		os.Exit(1)
	}
}

func run(eventFile string, env map[string]string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	event, err := sandbox.ReadEvent(eventFile)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "image-distributor-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(os.Stderr, "building ./function …")
	bin, err := sandbox.Build(ctx, dir)
	if err != nil {
		return err
	}
	sb, err := sandbox.Start(sandbox.Options{Binary: bin, Env: env, Timeout: 60 * time.Second})
	if err != nil {
		return err
	}
	defer sb.Close()
	catalogue(sb, event)
	fmt.Fprintf(os.Stderr, "invoking with %s …\n", eventFile)
	res, err := sb.Invoke(ctx, event)
	if err != nil {
		return fmt.Errorf("invoke: %w (function logs:\n%s)", err, sb.Logs.String())
	}
	// Give the last log lines, written after the answer, a moment to arrive.
	time.Sleep(200 * time.Millisecond)

	fmt.Println("== function logs")
	fmt.Print(sb.Logs.String())
	fmt.Println("== calls received by the appstream-center stand-in")
	for _, c := range sb.API.Calls() {
		if c.Action != "StartTaskForDistributeImage" {
			fmt.Printf("%s page=%s -> %d %s\n", c.Action, c.Params.Get("PageNumber"), c.Status, c.Code)
			continue
		}
		fmt.Printf("%s image=%s version=%s product=%s source=%s regions=%s -> %d %s %s\n",
			c.Action, c.ImageID, c.VersionID, c.ProductType, c.SourceRegion,
			strings.Join(c.DestinationRegions, ","), c.Status, c.Code, c.TaskID)
	}
	fmt.Println("== function result")
	if res.Error != nil {
		b, _ := json.MarshalIndent(res.Error, "", "  ")
		fmt.Printf("error: %s\n", b)
		return nil
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, res.Payload, "", "  ") != nil {
		pretty.Reset()
		pretty.Write(res.Payload)
	}
	fmt.Println(pretty.String())
	return nil
}

// catalogue puts every image the event names into the stand-in's
// ListImage catalogue, AVAILABLE and built an hour ago in its source
// region, so that a timer sample has something to sweep.
func catalogue(sb *sandbox.Sandbox, event []byte) {
	req, _ := trigger.Decode(event)
	for _, img := range req.Images {
		home := img.SourceRegion
		if home == "" {
			home = "cn-shanghai"
		}
		sb.API.AddImage(appstreamtest.Image{ImageID: img.ImageID, ImageName: "local-" + img.ImageID,
			ProductType: img.ProductType, VersionID: img.VersionID, HomeRegion: home, Created: time.Now().Add(-time.Hour)})
	}
}
