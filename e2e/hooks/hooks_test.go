// Package hooks tests the CI integrations at the root of the repository
// the way their hosts run them: action.yml's steps (GitHub Actions) and
// .pre-commit-hooks.yaml's hooks (pre-commit), on a copy of examples/.
package hooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/asynclint/asynclint/e2e"
)

// The parts of action.yml a runner reads.
type action struct {
	Runs struct {
		Using string
		Steps []struct {
			Name             string
			If               string
			Shell            string
			WorkingDirectory string `yaml:"working-directory"`
			Env              map[string]string
			Run              string
			Uses             string
			With             map[string]string
		}
	}
	Inputs map[string]struct{ Default string }
}

// expr evaluates the ${{ }} expressions action.yml uses: inputs.NAME,
// runner.temp, and inputs.NAME == 'VALUE'.
var expr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

func eval(s string, inputs map[string]string, temp string) string {
	return expr.ReplaceAllStringFunc(s, func(m string) string {
		e := expr.FindStringSubmatch(m)[1]
		if lhs, rhs, ok := strings.Cut(e, "=="); ok {
			if evalTerm(strings.TrimSpace(lhs), inputs, temp) == strings.Trim(strings.TrimSpace(rhs), "'") {
				return "true"
			}
			return "false"
		}
		return evalTerm(e, inputs, temp)
	})
}

func evalTerm(e string, inputs map[string]string, temp string) string {
	switch {
	case e == "runner.temp":
		return temp
	case strings.HasPrefix(e, "inputs."):
		v, ok := inputs[strings.TrimPrefix(e, "inputs.")]
		if !ok {
			panic("action.yml uses an undeclared input: " + e)
		}
		return v
	}
	panic("expression the test does not know: " + e)
}

// runAction runs action.yml's steps as a runner would in the checked-out
// workspace, with the given
// inputs over the declared defaults, and returns the exit status and
// output of the last step that ran (the job fails on the first non-zero
// one). A `uses: ...upload-sarif` step is checked, not run: its file must
// be a SARIF log from asynclint.
func runAction(t *testing.T, root, workspace string, with map[string]string) (int, string) {
	t.Helper()
	var a action
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" || len(a.Runs.Steps) == 0 {
		t.Fatalf("action.yml: runs.using %q with %d steps", a.Runs.Using, len(a.Runs.Steps))
	}
	inputs := make(map[string]string)
	for name, in := range a.Inputs {
		inputs[name] = in.Default
	}
	for name, v := range with {
		if _, ok := inputs[name]; !ok {
			t.Fatalf("action.yml declares no input %q", name)
		}
		inputs[name] = v
	}
	temp := t.TempDir()
	gobin := filepath.Join(temp, "gobin")
	githubPath := filepath.Join(temp, "github_path")
	os.WriteFile(githubPath, nil, 0o644)
	code, out := 0, ""
	for _, step := range a.Runs.Steps {
		if step.If != "" && eval(step.If, inputs, temp) != "true" {
			continue
		}
		if step.Uses != "" {
			if !strings.HasPrefix(step.Uses, "github/codeql-action/upload-sarif@") {
				t.Fatalf("step %q uses %s, which the test does not know", step.Name, step.Uses)
			}
			checkSARIF(t, eval(step.With["sarif_file"], inputs, temp))
			continue
		}
		if step.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash", step.Name, step.Shell)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run)
		cmd.Dir = workspace
		if step.WorkingDirectory != "" {
			cmd.Dir = filepath.Join(workspace, eval(step.WorkingDirectory, inputs, temp))
		}
		path := os.Getenv("PATH")
		if added, _ := os.ReadFile(githubPath); len(added) > 0 {
			path = strings.Join(strings.Fields(string(added)), string(os.PathListSeparator)) + string(os.PathListSeparator) + path
		}
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOBIN="+gobin, "PATH="+path,
			"GITHUB_ACTION_PATH="+root, "GITHUB_PATH="+githubPath, "RUNNER_TEMP="+temp)
		for k, v := range step.Env {
			cmd.Env = append(cmd.Env, k+"="+eval(v, inputs, temp))
		}
		var b bytes.Buffer
		cmd.Stdout, cmd.Stderr = &b, &b
		err := cmd.Run()
		code, out = 0, b.String()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != 0 {
			t.Logf("step %q exited %d:\n%s", step.Name, code, out)
			return code, out
		}
	}
	return code, out
}

func checkSARIF(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the SARIF file to upload: %v", err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool    struct{ Driver struct{ Name string } }
			Results []json.RawMessage
		}
	}
	if err := json.Unmarshal(data, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 ||
		log.Runs[0].Tool.Driver.Name != "asynclint" || len(log.Runs[0].Results) == 0 {
		t.Errorf("the SARIF file to upload is not asynclint's log with results (%v):\n%.300s", err, data)
	}
}

// TestAction: with the defaults the job fails on examples/' findings;
// with a baseline of them it passes; flags reach asynclint.
func TestAction(t *testing.T) {
	root := e2e.RepoRoot(t)
	dir := e2e.CopyDir(t, filepath.Join(root, "examples"))
	code, out := runAction(t, root, dir, nil)
	if code != 1 || !reports(out, "sigstate") || !reports(out, "loopblock") {
		t.Errorf("default inputs on examples/: exit %d, want 1 with the findings:\n%s", code, out)
	}

	code, out = runAction(t, root, dir, map[string]string{"flags": "-checks=sigstate", "upload-sarif": "false"})
	if code != 1 || !reports(out, "sigstate") || reports(out, "loopblock") {
		t.Errorf("flags -checks=sigstate: exit %d:\n%s", code, out)
	}

	record := exec.Command("go", "run", "./cmd/asynclint", "-C", dir, "-baseline-write", ".asynclint-baseline.json", "./...")
	record.Dir = root
	if b, err := record.CombinedOutput(); err != nil {
		t.Fatalf("writing the baseline: %v\n%s", err, b)
	}
	code, out = runAction(t, root, dir, map[string]string{"baseline": ".asynclint-baseline.json"})
	if code != 0 {
		t.Errorf("with a baseline of every finding: exit %d, want 0:\n%s", code, out)
	}
}

// hook is one entry of .pre-commit-hooks.yaml.
type hook struct {
	ID            string
	Language      string
	Entry         string
	Args          []string
	Types         []string
	Exclude       string
	PassFilenames *bool `yaml:"pass_filenames"`
}

// TestPreCommitHooks runs each hook as pre-commit does: the entry split
// like a shell word list, then args, then (unless pass_filenames is
// false) the staged files that match types and exclude.
func TestPreCommitHooks(t *testing.T) {
	root := e2e.RepoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	ids := make([]string, len(hooks))
	for i, h := range hooks {
		ids[i] = h.ID
	}
	if !slices.Equal(ids, []string{"asynclint", "asynclint-module"}) {
		t.Fatalf("hooks %v", ids)
	}

	// pre-commit's golang language installs the repository's commands
	// with go install; do the same into a directory on PATH.
	gobin := t.TempDir()
	install := exec.Command("go", "install", "./cmd/asynclint")
	install.Dir = root
	install.Env = append(os.Environ(), "GOBIN="+gobin)
	if b, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, b)
	}
	path := gobin + string(os.PathListSeparator) + os.Getenv("PATH")

	dir := e2e.CopyDir(t, filepath.Join(root, "examples"))
	os.MkdirAll(filepath.Join(dir, "testdata"), 0o755)
	os.WriteFile(filepath.Join(dir, "testdata", "broken.go"), []byte("package broken\n\nfunc {\n"), 0o644)
	all := []string{"halfupdate/checkout.go", "loopblock/webhooks.go", "sigstate/daemon.go", "testdata/broken.go", "unclosed/unclosed.go", "unjoined/resolver.go"}

	for _, h := range hooks {
		if h.Language != "golang" || !slices.Equal(h.Types, []string{"go"}) {
			t.Errorf("hook %s: language %q, types %v", h.ID, h.Language, h.Types)
		}
		runHook := func(staged []string) (int, string) {
			argv := append(shellWords(t, h.Entry), h.Args...)
			if h.PassFilenames == nil || *h.PassFilenames {
				for _, f := range staged {
					if h.Exclude == "" || !regexp.MustCompile(h.Exclude).MatchString(f) {
						argv = append(argv, f)
					}
				}
			}
			if installed := filepath.Join(gobin, argv[0]); fileExists(installed) {
				argv[0] = installed // found on the hook's PATH
			}
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOWORK=off", "PATH="+path)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				return exit.ExitCode(), string(out)
			} else if err != nil {
				t.Fatalf("hook %s: %v", h.ID, err)
			}
			return 0, string(out)
		}
		code, out := runHook(all)
		for _, check := range []string{"loopblock", "unclosed", "unjoined", "halfupdate", "sigstate"} {
			if !reports(out, check) {
				t.Errorf("hook %s on every file: no %s finding (exit %d):\n%s", h.ID, check, code, out)
			}
		}
		if code != 1 {
			t.Errorf("hook %s on every file: exit %d, want 1:\n%s", h.ID, code, out)
		}
		if h.PassFilenames == nil || *h.PassFilenames {
			code, out := runHook([]string{"sigstate/daemon.go"})
			if code != 1 || !reports(out, "sigstate") || reports(out, "loopblock") {
				t.Errorf("hook %s on sigstate/daemon.go: exit %d, want 1 with only its package's findings:\n%s", h.ID, code, out)
			}
		}
	}
}

// shellWords splits s as a POSIX shell splits words, for the quoting
// .pre-commit-hooks.yaml uses: single quotes, double quotes, spaces.
func shellWords(t *testing.T, s string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				t.Fatalf("unterminated quote in %q", s)
			}
			w.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// reports reports whether the text output has a finding of check: a
// line ending "(check)" or "(check.rule)".
func reports(out, check string) bool {
	return regexp.MustCompile(`(?m) \(` + check + `(\.[\w-]+)?\)$`).MatchString(out)
}
