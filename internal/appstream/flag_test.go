package appstream_test

import (
	"context"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// What the sweep's long-run policy reads beyond the image's regions:
// VolumeEncryptionEnabled, as a boolean or a string, and GmtModified.
func TestListPageEncryptionAndModified(t *testing.T) {
	tests := []struct {
		name, fields string
		encrypted    bool
	}{
		{"encrypted", `"VolumeEncryptionEnabled":true`, true},
		{"encrypted, as a string", `"VolumeEncryptionEnabled":"true"`, true},
		{"not encrypted", `"VolumeEncryptionEnabled":false`, false},
		{"absent", `"ImageName":"x"`, false},
		{"unreadable", `"VolumeEncryptionEnabled":{"a":1}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := newClient(t)
			srv.SetListError(appstreamtest.Response{Status: 200, RawBody: `{"Success":true,"Count":1,"Data":[{"ImageId":"imgc-1",` +
				tc.fields + `,"GmtModified":"2026-12-06 22:50:00"}]}`})
			p, err := c.ListPage(context.Background(), testCreds, appstream.ImageFilter{}, 1, 10)
			if err != nil || len(p.Images) != 1 {
				t.Fatalf("ListPage() = %+v, %v", p, err)
			}
			want := time.Date(2026, 12, 6, 14, 50, 0, 0, time.UTC)
			if img := p.Images[0]; img.Encrypted != tc.encrypted || !img.Modified.Equal(want) {
				t.Errorf("Encrypted %v, Modified %v; want %v, %v", img.Encrypted, img.Modified, tc.encrypted, want)
			}
		})
	}
}
