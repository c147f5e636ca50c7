package deploy

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/image-distributor/image-distributor/internal/sweep"
)

// dynamicErrorStatuses lists the error-level lines whose status is not a
// constant in the source, by package and function, with the statuses each
// can carry. A new one must be added here, with the reason, and to the
// README's table.
var dynamicErrorStatuses = map[string][]string{
	// logOutcome logs at error level only when needsPerson: a region
	// failed with a permanent error, and settle then makes the image's
	// status failed; or the sweep blocks the image (sweep.Blocked), at its
	// backoff steps only.
	"handler.logOutcome": {"failed"},
	// concern writes the sweep's concern about one region of an image
	// (sweep.Concern), at its backoff steps only.
	"handler.concern": {string(sweep.CopyFailing), string(sweep.Refused), string(sweep.OtherVersionHeld)},
	// report raises a page's warning to an error once it has failed for
	// sweep.PageFailingAfter.
	"handler.report": {string(sweep.PageFailing)},
}

// errorSite is one place the code writes an error-level line.
type errorSite struct {
	where string
	// keys are the statuses it can write (its message when it sets no
	// status); none when the check cannot read them.
	keys []string
}

// errorLines checks that the README's Alerts table has a row for every
// error-level line the Go source under root can write, so the table the
// alert's reader relies on cannot fall behind the code.
func (p *problems) errorLines(root, readme string) {
	sites, err := errorSites(root)
	if err != nil {
		p.add(root, "%v", err)
		return
	}
	raw, err := os.ReadFile(readme)
	if err != nil {
		p.add(readme, "%v", err)
		return
	}
	rows := alertTableKeys(string(raw))
	if len(sites) == 0 {
		// The function writes error lines (logOutcome's failed at least):
		// finding none means the source was not where the check looked.
		p.add(root, "no error-level log call found in the Go source under internal/ and function/: the Alerts table cannot be checked")
	}
	for _, s := range sites {
		if s.keys == nil {
			p.add(root, "%s logs at error level with a status the check cannot read: use a string constant, or list it in dynamicErrorStatuses", s.where)
		}
		for _, k := range s.keys {
			if !slices.Contains(rows, k) {
				p.add(readme, "the Alerts table has no row for the error-level line %q, which %s writes", k, s.where)
			}
		}
	}
}

// tableRow matches a row of the Alerts table, keyed by its first cell.
var tableRow = regexp.MustCompile("(?m)^\\| `([^`]+)` \\|")

// alertTableKeys returns the first cells of the table in "### Alerts".
func alertTableKeys(readme string) []string {
	_, section, _ := strings.Cut(readme, "\n### Alerts\n")
	if i := regexp.MustCompile(`\n##+ `).FindStringIndex(section); i != nil {
		section = section[:i[0]]
	}
	var keys []string
	for _, m := range tableRow.FindAllStringSubmatch(section, -1) {
		keys = append(keys, m[1])
	}
	return keys
}

// errorSites parses the non-test Go files under root's internal and
// function folders and finds every zerolog call at error level.
func errorSites(root string) ([]errorSite, error) {
	fset := token.NewFileSet()
	var files []*ast.File
	consts := map[string]string{} // package.Name → string value
	for _, dir := range []string{"internal", "function"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && d.Name() == "testdata":
				return filepath.SkipDir
			case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			files = append(files, f)
			stringConsts(f, consts)
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
	}
	var sites []errorSite
	for _, f := range files {
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
				r := reader{pkg: f.Name.Name, consts: consts}
				for _, s := range r.sites(fn.Body) {
					pos := fset.Position(s.pos)
					rel, _ := filepath.Rel(root, pos.Filename)
					name := f.Name.Name + "." + fn.Name.Name
					site := errorSite{where: fmt.Sprintf("%s (%s:%d)", name, rel, pos.Line), keys: s.keys}
					if site.keys == nil {
						site.keys = dynamicErrorStatuses[name]
					}
					sites = append(sites, site)
				}
			}
		}
	}
	return sites, nil
}

func stringConsts(f *ast.File, into map[string]string) {
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						into[f.Name.Name+"."+name.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
	}
}
