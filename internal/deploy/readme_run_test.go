package deploy_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

type how int

const (
	run how = iota
	stub
	elsewhere
)

type readmeCommand struct {
	pattern string
	how     how
	why     string                       // elsewhere: what runs it
	replace string                       // run: what the test runs instead (loopback for a URL)
	check   func(*testing.T, []stubCall) // the calls the command made
}

// stubCall is one call of a stubbed program, or one request the HTTP
// trigger stand-in received (Prog "trigger").
type stubCall struct {
	Line int               `json:"line,omitempty"` // a marker: the README command that starts here
	Prog string            `json:"prog,omitempty"`
	Args []string          `json:"args,omitempty"`
	Env  map[string]string `json:"env,omitempty"`
}

// stubs are the programs put on PATH; each is this test binary, which
// TestMain turns into the stub.
var stubs = []string{"s", "aliyun", "aliyunlog", "zip", "openssl"}

const stubLog = "README_STUB_LOG"

func TestMain(m *testing.M) {
	if log := os.Getenv(stubLog); log != "" && slices.Contains(stubs, filepath.Base(os.Args[0])) {
		os.Exit(stubMain(log, filepath.Base(os.Args[0]), os.Args[1:]))
	}
	os.Exit(m.Run())
}

// stubMain records the call and answers as the real program would, as far
// as the README's next command reads it.
func stubMain(log, prog string, args []string) int {
	env := map[string]string{}
	for _, k := range []string{"REGION", "DESTINATION_REGIONS", "DRY_RUN", "SWEEP_CREATED_AFTER"} {
		env[k] = os.Getenv(k)
	}
	appendLog(log, stubCall{Prog: prog, Args: args, Env: env})
	switch {
	case prog == "openssl":
		fmt.Println("3f1c9b0e5d7a2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6")
	case prog == "zip" && len(args) > 1:
		os.WriteFile(args[1], []byte("PK"), 0o600) // the file oss cp then uploads
	case prog == "aliyun" && len(args) > 1 && args[1] == "CreateStack":
		fmt.Println("{\n  \"RequestId\": \"B288A0BE-D927-4888-B0F7-B35EF84B6E6F\",\n  \"StackId\": \"4a6c9851-3b0f-4f5f-b4ca-a14bf6910001\"\n}")
	}
	return 0
}

var logMu sync.Mutex

func appendLog(path string, c stubCall) {
	logMu.Lock()
	defer logMu.Unlock()
	b, _ := json.Marshal(c)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	f.Write(append(b, '\n'))
}

// readmeLine is one command of a ```sh fence and the line it starts on.
type readmeLine struct {
	line int
	cmd  string
}

// readmeShell lists the commands of every ```sh fence of the README.
func readmeShell(t *testing.T, readme string) []readmeLine {
	t.Helper()
	var out []readmeLine
	var in bool
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(readme, "\n") {
		switch {
		case !in && strings.TrimSpace(l) == "```sh":
			in = true
		case in && strings.TrimSpace(l) == "```":
			in = false
		case in:
			if cur.Len() == 0 {
				start = i + 1
			}
			l = cutComment(l)
			if s, ok := strings.CutSuffix(l, `\`); ok {
				cur.WriteString(strings.TrimSpace(s) + " ")
				continue
			}
			cur.WriteString(strings.TrimSpace(l))
			if c := strings.TrimSpace(cur.String()); c != "" {
				out = append(out, readmeLine{start, c})
			}
			cur.Reset()
		}
	}
	return out
}

// cutComment drops a shell comment: a # after a blank, outside quotes.
func cutComment(l string) string {
	var quote rune
	for i, r := range l {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (i == 0 || l[i-1] == ' '):
			return strings.TrimRight(l[:i], " ")
		}
	}
	return strings.TrimRight(l, " ")
}

func rowFor(cmd string) (int, bool) {
	for i, r := range readmeCommands {
		if regexp.MustCompile(r.pattern).MatchString(cmd) {
			return i, true
		}
	}
	return 0, false
}

// TestREADMECommandsKnown fails on a README command readmeCommands does
// not cover, and on a row that covers none: cheap, so it always runs.
func TestREADMECommandsKnown(t *testing.T) {
	used := map[int]bool{}
	for _, c := range readmeShell(t, readRepo(t, "README.md")) {
		i, ok := rowFor(c.cmd)
		if !ok {
			t.Errorf("README.md:%d: %q is not in readmeCommands (internal/deploy/readme_commands_test.go): "+
				"add a row saying how the test exercises it (run, stub with a check of the call, or elsewhere with where)", c.line, c.cmd)
		}
		used[i] = true
	}
	for i, r := range readmeCommands {
		if !used[i] {
			t.Errorf("readmeCommands row %q matches no README command: remove it, or fix the README", r.pattern)
		}
		if r.how == stub && r.check == nil || r.how == elsewhere && r.why == "" {
			t.Errorf("readmeCommands row %q: a stub needs a check, elsewhere a why", r.pattern)
		}
	}
}

func readRepo(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// params reads an aliyun ros call's flags: --Key value, with
// --Parameters.N.ParameterKey/Value pairs as "param:Key".
func params(t *testing.T, calls []stubCall, action string) map[string]string {
	t.Helper()
	if len(calls) != 1 || calls[0].Prog != "aliyun" || len(calls[0].Args) < 2 || calls[0].Args[1] != action {
		t.Fatalf("calls = %+v, want one aliyun ros %s", calls, action)
	}
	a := calls[0].Args
	flags := map[string]string{}
	for i := 2; i+1 < len(a); i += 2 {
		flags[strings.TrimPrefix(a[i], "--")] = a[i+1]
	}
	for k, v := range flags {
		if n, ok := strings.CutSuffix(k, ".ParameterKey"); ok {
			flags["param:"+v] = flags[n+".ParameterValue"]
		}
	}
	return flags
}

// signedCall: fccall reached the trigger stand-in signed, with the token.
func signedCall(t *testing.T, calls []stubCall) {
	if len(calls) != 1 || calls[0].Prog != "trigger" {
		t.Fatalf("calls = %+v, want one request to the HTTP trigger", calls)
	}
	e := calls[0].Env
	if !strings.HasPrefix(e["authorization"], "ACS3-HMAC-SHA256 Credential=LTAI-readme-test,SignedHeaders=") || e["token"] != strings.TrimSpace(readFileOr(e["dir"], "token.txt")) {
		t.Errorf("the trigger got %v, want an ACS3 signature with the caller's key and the token from token.txt", e)
	}
}

func readFileOr(dir, name string) string {
	b, _ := os.ReadFile(filepath.Join(dir, name))
	return string(b)
}

// readLog splits the log at the markers: the calls each README line made.
func readLog(t *testing.T, path string) map[int][]stubCall {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int][]stubCall{}
	line := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c stubCall
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("stub log: %v", err)
		}
		if c.Line != 0 {
			line = c.Line
			out[line] = []stubCall{}
			continue
		}
		out[line] = append(out[line], c)
	}
	return out
}

// trigger stands in for the deployed HTTP trigger: it records what fccall
// sends. fccall's own tests check the signature itself.
func trigger(log, dir string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		appendLog(log, stubCall{Prog: "trigger", Args: []string{r.Method, r.URL.RequestURI(), string(body)},
			Env: map[string]string{"authorization": r.Header.Get("Authorization"), "token": r.Header.Get("X-Distributor-Token"), "dir": dir}})
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"imageId":"imgc-07jyldnd9iab12cd","verdict":"complete"}`)
	}))
}
