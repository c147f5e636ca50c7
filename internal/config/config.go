// Package config reads and validates the function's settings from its
// environment once, at cold start, so an invocation never runs on a
// half-parsed configuration.
package config

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/ids"
)

// The environment variables Load reads. Deploy files are checked against
// this list, so a knob cannot be added here without reaching them too.
const (
	EnvDestinationRegions = "DESTINATION_REGIONS"
	EnvRegionsByProduct   = "DESTINATION_REGIONS_BY_PRODUCT"
	EnvRegionsBySource    = "DESTINATION_REGIONS_BY_SOURCE"
	EnvAllowedRegions     = "ALLOWED_REGIONS"
	EnvProductType        = "PRODUCT_TYPE"
	EnvEndpoint           = "APPSTREAM_ENDPOINT"
	EnvDryRun             = "DRY_RUN"
	EnvLogLevel           = "LOG_LEVEL"
	EnvAPIQPS             = "API_QPS"
	EnvMaxConcurrency     = "MAX_CONCURRENCY"
	EnvMaxAttempts        = "MAX_ATTEMPTS"
	EnvMaxImages          = "MAX_IMAGES_PER_INVOCATION"
	EnvHTTPTokenSHA256    = "HTTP_TOKEN_SHA256"
	EnvAccessKeyID        = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeySecret    = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvSecurityToken      = "ALIBABA_CLOUD_SECURITY_TOKEN"
	DefaultEndpoint       = "appstream-center.cn-shanghai.aliyuncs.com"
	DefaultProductType    = "CloudApp"
	defaultLevel          = "info"
)

// Variables lists every setting an operator may put in the function's
// environment. The credential variables are left out: FC sets them.
func Variables() []string {
	return []string{
		EnvDestinationRegions, EnvRegionsByProduct, EnvRegionsBySource, EnvAllowedRegions,
		EnvProductType, EnvEndpoint, EnvDryRun, EnvLogLevel, EnvAPIQPS, EnvMaxConcurrency,
		EnvMaxAttempts, EnvMaxImages, EnvHTTPTokenSHA256,
		EnvSweepImageIDs, EnvSweepNamePattern, EnvSweepTags, EnvSweepProducts, EnvSweepMinAge, EnvSweepCreated, EnvSweepCron,
	}
}

// Config is the validated configuration. It is read-only after Load and is
// shared by concurrent invocations.
type Config struct {
	Regions        Regions
	ProductType    string
	Endpoint       Endpoint
	DryRun         bool
	LogLevel       zerolog.Level
	APIQPS         float64
	MaxConcurrency int
	MaxAttempts    int
	MaxImages      int
	// HTTPTokenSHA256 is the SHA-256 of the bearer token HTTP callers must
	// present; nil leaves authentication to the HTTP trigger alone.
	HTTPTokenSHA256 []byte
	// Credentials are the fallback when the invocation context carries none.
	Credentials Credentials
	// Sweep selects the images timer invocations reconcile.
	Sweep Sweep
	// Warnings name what Load accepted but doubts, such as a region ID no
	// document lists: logged once at cold start, never a refusal.
	Warnings []string
	// SweepPeriod is how often the timer fires: SWEEP_CRON's period.
	SweepPeriod time.Duration
}

// Load builds a Config from getenv, naming the variable in any error.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(name string, err error) {
		switch {
		case err == nil:
		case name == "": // the error already names its variable
			errs = append(errs, err)
		default:
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	c := Config{ProductType: DefaultProductType}
	var err error
	c.Regions, err = loadRegions(getenv, bad)
	bad("", err)
	if v := getenv(EnvProductType); v != "" {
		bad(EnvProductType, ids.CheckProductType(v))
		c.ProductType = v
	}
	c.Endpoint, err = ParseEndpoint(orDefault(getenv(EnvEndpoint), DefaultEndpoint))
	bad(EnvEndpoint, err)
	c.DryRun, err = parseBool(getenv(EnvDryRun))
	bad(EnvDryRun, err)
	c.LogLevel, err = parseLevel(getenv(EnvLogLevel))
	bad(EnvLogLevel, err)
	c.APIQPS, err = apiQPS.parse(getenv(EnvAPIQPS))
	bad(EnvAPIQPS, err)
	c.MaxConcurrency, err = maxConcurrency.parse(getenv(EnvMaxConcurrency))
	bad(EnvMaxConcurrency, err)
	c.MaxAttempts, err = maxAttempts.parse(getenv(EnvMaxAttempts))
	bad(EnvMaxAttempts, err)
	c.MaxImages, err = maxImages.parse(getenv(EnvMaxImages))
	bad(EnvMaxImages, err)
	c.HTTPTokenSHA256, err = parseDigest(getenv(EnvHTTPTokenSHA256))
	bad(EnvHTTPTokenSHA256, err)
	c.Sweep = loadSweep(getenv, bad)
	c.SweepPeriod, err = parseSweepCron(getenv(EnvSweepCron))
	bad(EnvSweepCron, err)
	c.Credentials, err = LoadCredentials(getenv)
	bad("", err)
	bad(EnvDebug, checkDebug(getenv(EnvDebug)))
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration: %w", errors.Join(errs...))
	}
	c.Warnings = regionWarnings(getenv)
	return c, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func parseBool(v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

// levels are the accepted LOG_LEVEL values. Levels that would silence
// error lines, or only add noise, are left out on purpose.
var levels = []struct {
	name  string
	level zerolog.Level
}{{"debug", zerolog.DebugLevel}, {"info", zerolog.InfoLevel}, {"warn", zerolog.WarnLevel}, {"error", zerolog.ErrorLevel}}

func levelNames() []string {
	var out []string
	for _, l := range levels {
		out = append(out, l.name)
	}
	return out
}

func parseLevel(v string) (zerolog.Level, error) {
	for _, l := range levels {
		if l.name == strings.ToLower(orDefault(v, defaultLevel)) {
			return l.level, nil
		}
	}
	return 0, fmt.Errorf("%q is not one of %s", v, strings.Join(levelNames(), ", "))
}

// parseDigest takes a hex SHA-256 so that the token itself never has to sit
// in the function's environment, where anyone who can read the function's
// configuration would see it.
func parseDigest(v string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(v)
	if err != nil || len(b) != sha256.Size {
		return nil, errors.New("must be the 64-character hex SHA-256 of the token")
	}
	return b, nil
}
