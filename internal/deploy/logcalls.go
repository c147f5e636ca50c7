package deploy

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// reader finds zerolog calls at error level in one function body, from
// the syntax alone: a chain such as log.Error().Str("status", s).Msg(m),
// or an event kept in a variable (ev = log.Error()) and written later.
type reader struct {
	pkg    string
	consts map[string]string
}

type site struct {
	pos  token.Pos
	keys []string // nil when a status or message cannot be read
}

func (r reader) sites(body *ast.BlockStmt) []site {
	var chains []chainAt
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ExprStmt:
			chains = append(chains, chainAt{expr: n.X})
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				c := chainAt{expr: rhs}
				if id, ok := n.Lhs[i].(*ast.Ident); ok && len(n.Lhs) == len(n.Rhs) {
					c.into = id.Name
				}
				chains = append(chains, c)
			}
		case *ast.ReturnStmt:
			for _, e := range n.Results {
				chains = append(chains, chainAt{expr: e})
			}
		}
		return true
	})
	var out []site
	for _, c := range chains {
		root, calls := flatten(c.expr)
		for i, call := range calls {
			if !errorLevel(call, receiver(root, calls, i)) {
				continue
			}
			later := calls[i+1:]
			if c.into != "" { // the event is written through the variable
				for _, d := range chains {
					if rootOf, more := flatten(d.expr); isIdent(rootOf, c.into) {
						later = append(later, more...)
					}
				}
			}
			out = append(out, site{pos: call.Pos(), keys: r.keys(later)})
		}
	}
	return out
}

type chainAt struct {
	expr ast.Expr
	into string // the variable it is assigned to, if any
}

// flatten turns a.B(x).C(y) into its root a and the calls B(x), C(y).
func flatten(e ast.Expr) (ast.Expr, []*ast.CallExpr) {
	var calls []*ast.CallExpr
	for {
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return e, calls
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return e, calls
		}
		calls = append([]*ast.CallExpr{call}, calls...)
		e = sel.X
	}
}

func receiver(root ast.Expr, calls []*ast.CallExpr, i int) ast.Expr {
	if i == 0 {
		return root
	}
	return calls[i-1]
}

// errorLevel reports a zerolog call that starts an error-level event:
// Error() or Err(err) on a logger, or WithLevel(zerolog.ErrorLevel).
func errorLevel(call *ast.CallExpr, recv ast.Expr) bool {
	name := call.Fun.(*ast.SelectorExpr).Sel.Name
	switch {
	case name == "Error" && len(call.Args) == 0, name == "Err" && len(call.Args) == 1:
		return loggerLike(recv)
	case name == "WithLevel" && len(call.Args) == 1:
		sel, ok := call.Args[0].(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "ErrorLevel"
	}
	return false
}

// loggerLike tells a logger from an error value by its name: log, h.log,
// logger, zerolog.Ctx(ctx). An error's Error() takes no arguments too.
func loggerLike(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return logName(e.Name)
	case *ast.SelectorExpr:
		return logName(e.Sel.Name) || isIdent(e.X, "zerolog")
	case *ast.CallExpr:
		return loggerLike(e.Fun)
	}
	return false
}

func logName(n string) bool {
	return strings.HasPrefix(strings.ToLower(n), "log") || strings.HasSuffix(n, "Log") || strings.HasSuffix(n, "Logger")
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// keys reads the status the calls set, or the message when they set none.
func (r reader) keys(calls []*ast.CallExpr) []string {
	var status, msg ast.Expr
	for _, c := range calls {
		switch name := c.Fun.(*ast.SelectorExpr).Sel.Name; {
		case name == "Str" && len(c.Args) == 2 && r.value(c.Args[0]) == "status":
			status = c.Args[1]
		case (name == "Msg" || name == "Msgf") && len(c.Args) > 0:
			msg = c.Args[0]
		}
	}
	if status == nil {
		status = msg
	}
	if v := r.value(status); v != "" {
		return []string{v}
	}
	return nil
}

// value resolves a string literal, a string constant (of this package or
// a qualified one) or a conversion of one; "" when it cannot.
func (r reader) value(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			v, _ := strconv.Unquote(e.Value)
			return v
		}
	case *ast.Ident:
		return r.consts[r.pkg+"."+e.Name]
	case *ast.SelectorExpr:
		if id, ok := e.X.(*ast.Ident); ok {
			return r.consts[id.Name+"."+e.Sel.Name]
		}
	case *ast.CallExpr:
		if len(e.Args) == 1 {
			if _, ok := e.Fun.(*ast.Ident); ok {
				return r.value(e.Args[0])
			}
		}
	}
	return ""
}
