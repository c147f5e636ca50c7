package config_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/config"
)

// readmeRow is one row of the README's Configuration table.
type readmeRow struct{ def, allowed string }

// readmeTable reads the table under "## Configuration": | variable |
// default | allowed | meaning |, keyed by variable.
func readmeTable(t *testing.T) map[string]readmeRow {
	t.Helper()
	section := configurationSection(t)
	rows := map[string]readmeRow{}
	var header bool
	for line := range strings.Lines(section) {
		cells := strings.Split(strings.TrimSpace(line), "|")
		if len(cells) < 5 || cells[0] != "" {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if !header {
			if want := []string{"variable", "default", "allowed", "meaning"}; !slices.Equal(cells[1:5], want) {
				t.Fatalf("README Configuration table columns = %q, want %q", cells[1:5], want)
			}
			header = true
			continue
		}
		name := strings.Trim(cells[1], "`")
		if !strings.HasPrefix(cells[1], "`") { // the |---| line
			continue
		}
		if _, dup := rows[name]; dup {
			t.Errorf("README Configuration table has two rows for %s", name)
		}
		rows[name] = readmeRow{cells[2], strings.ReplaceAll(cells[3], "`", "")}
	}
	return rows
}

// TestREADMEConfigurationTable keeps the README's one Configuration table
// the same as the code: a row for every variable Load reads and for no
// other, and each default and range as the parsers have it.
func TestREADMEConfigurationTable(t *testing.T) {
	rows := readmeTable(t)
	for _, s := range config.Settings() {
		row, ok := rows[s.Name]
		if !ok {
			t.Errorf("README Configuration table has no row for %s, which config.Variables lists", s.Name)
			continue
		}
		delete(rows, s.Name)
		if s.Default != "" && row.def != "`"+s.Default+"`" {
			t.Errorf("README: %s default = %s, the code's is `%s`", s.Name, row.def, s.Default)
		}
		if s.Range != "" && row.allowed != s.Range {
			t.Errorf("README: %s allowed = %q, the code accepts %q", s.Name, row.allowed, s.Range)
		}
	}
	for name := range rows {
		t.Errorf("README Configuration table has a row for %s, which config.Variables does not list", name)
	}
}

// TestREADMEListsKnownRegions: the README's Configuration section names
// every region the warning knows, so a reader can check a region first.
func TestREADMEListsKnownRegions(t *testing.T) {
	section := configurationSection(t)
	for _, r := range config.KnownRegions {
		if !strings.Contains(section, "`"+r+"`") {
			t.Errorf("README Configuration section does not list the known region %s", r)
		}
	}
}

// configurationSection is the README's "## Configuration" section.
func configurationSection(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Configuration\n")
	if !ok {
		t.Fatal(`README.md has no "## Configuration" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}
