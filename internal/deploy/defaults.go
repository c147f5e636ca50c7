package deploy

import (
	"reflect"

	"github.com/image-distributor/image-distributor/internal/config"
)

// defaults checks that what a first deployment puts in each setting is
// what the function would do with the setting unset: the files expose the
// settings, and an operator who sets none gets the README's defaults. It
// compares what config.Load makes of the value, so 0s and 0, or 5 and
// 5.0, are the same, while a debug log level or a QPS of 10 is not.
func (p *problems) defaults(s Spec) {
	const region = "cn-hangzhou" // the one setting with no default
	base := map[string]string{config.EnvDestinationRegions: region}
	want, err := config.Load(func(k string) string { return base[k] })
	if err != nil {
		p.add(s.File, "the code's own defaults do not load: %v", err)
		return
	}
	for _, name := range config.Variables() {
		v, ok := s.Env[name]
		if !ok || v == "" || name == config.EnvDestinationRegions {
			continue
		}
		got, err := config.Load(func(k string) string {
			if k == name {
				return v
			}
			return base[k]
		})
		if err != nil || !reflect.DeepEqual(got, want) {
			p.add(s.File, "%s defaults to %q, which is not the code's default (README \"Configuration\"): leave the choice to the operator", name, v)
		}
	}
}
