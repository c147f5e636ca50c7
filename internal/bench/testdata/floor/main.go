// Command floor is the cold-start and memory floor for image-distributor:
// a bare fc.Start function built with the same SDK, which echoes a small
// JSON answer. Anything our function costs beyond this is ours to justify.
package main

import (
	"context"

	"github.com/aliyun/fc-runtime-go-sdk/fc"
)

type answer struct {
	OK    bool `json:"ok"`
	Bytes int  `json:"bytes"`
}

func main() {
	fc.Start(func(_ context.Context, event []byte) (answer, error) {
		return answer{OK: true, Bytes: len(event)}, nil
	})
}
