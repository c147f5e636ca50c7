// Command main is the image-distributor function for the Function Compute
// go1 runtime. It only wires the parts together: configuration, logger,
// API client and handler are built once per instance, at cold start.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/aliyun/fc-runtime-go-sdk/fc"
	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/handler"
)

func main() {
	zerolog.TimeFieldFormat = time.RFC3339Nano
	log := zerolog.New(os.Stdout).With().Timestamp().Str("function", os.Getenv("FC_FUNCTION_NAME")).Logger()
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		// Fail the cold start: FC reports it on every invocation, and no
		// invocation runs on a configuration we could not read.
		log.Error().Str("error", err.Error()).Msg("configuration rejected")
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	log = log.Level(cfg.LogLevel)
	for _, w := range cfg.Warnings {
		log.Warn().Str("warning", w).Msg("configuration doubtful")
	}
	log.Info().Strs("destination_regions", cfg.Regions.Default).Str("endpoint", cfg.Endpoint.String()).
		Bool("dry_run", cfg.DryRun).Float64("api_qps", cfg.APIQPS).Msg("configuration loaded")
	h := handler.New(cfg, appstream.New(cfg.Endpoint), log)
	fc.Start(h.Handle)
}
