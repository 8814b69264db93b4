// Package benchutil holds what the benchmark and the precision harness
// share: reading pinned module lists, fetching modules from the module
// proxy into a writable tree, building asynclint from the checkout, and
// running commands while measuring wall time and peak RSS.
package benchutil

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A Module is one line of a pinned module list: "path version [note]".
type Module struct {
	Path, Version string
	Note          string // the rest of the line, if any.
}

func (m Module) String() string { return m.Path + "@" + m.Version }

// Name is a file-system friendly name for the module.
func (m Module) Name() string {
	r := strings.NewReplacer("/", "_", "@", "_", ".", "_")
	return r.Replace(m.String())
}

// ReadList reads a module list: one "path version [note...]" per line,
// '#' starts a comment.
func ReadList(file string) ([]Module, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var mods []Module
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.Index(line, "#"); j >= 0 {
			line = line[:j]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 || !strings.HasPrefix(f[1], "v") {
			return nil, fmt.Errorf("%s:%d: want \"module version\", got %q", file, i+1, line)
		}
		mods = append(mods, Module{Path: f[0], Version: f[1], Note: strings.Join(f[2:], " ")})
	}
	return mods, nil
}

// Select keeps the modules whose path contains one of the comma-separated
// substrings in filter (all when filter is empty).
func Select(mods []Module, filter string) []Module {
	if filter == "" {
		return mods
	}
	var out []Module
	for _, m := range mods {
		for _, f := range strings.Split(filter, ",") {
			if f != "" && strings.Contains(m.Path, f) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// Env returns the environment every go command of the harness runs in:
// no workspace, the local toolchain, go.sum fixed up as needed, plus
// the given overrides ("KEY=value").
func Env(extra ...string) []string {
	env := os.Environ()
	env = append(env, "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod -buildvcs=false")
	return append(env, extra...)
}

// Fetch downloads m from the module proxy and copies it afresh to
// workdir/src/<name> (writable, since the benchmark edits files), then
// downloads its dependencies.
func Fetch(m Module, workdir string, env []string) (string, error) {
	dst := filepath.Join(workdir, "src", m.Name())
	out, err := Output(workdir, env, "go", "mod", "download", "-json", m.String())
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w", m, err)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("go mod download %s: %w", m, err)
	}
	if info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s", m, info.Error)
	}
	if err := os.RemoveAll(dst); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	if _, err := Output(workdir, env, "cp", "-r", info.Dir, dst); err != nil {
		return "", err
	}
	if _, err := Output(workdir, env, "chmod", "-R", "u+w", dst); err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err != nil {
		return "", fmt.Errorf("%s has no go.mod", m)
	}
	if err := dropLocalReplaces(dst, env); err != nil {
		return "", fmt.Errorf("%s: %w", m, err)
	}
	if _, err := Output(dst, env, "go", "mod", "download"); err != nil {
		return "", fmt.Errorf("downloading dependencies of %s: %w", m, err)
	}
	return dst, nil
}

// dropLocalReplaces removes the replace directives of the go.mod in dir
// that point at a directory: a module of a monorepo (etcd's server
// replaces ../api) is fetched alone, so its siblings come from the proxy
// at the versions it requires.
func dropLocalReplaces(dir string, env []string) error {
	out, err := Output(dir, env, "go", "mod", "edit", "-json")
	if err != nil {
		return err
	}
	var mod struct {
		Replace []struct {
			Old, New struct{ Path, Version string }
		}
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return err
	}
	var args []string
	for _, r := range mod.Replace {
		if r.New.Version == "" && (strings.HasPrefix(r.New.Path, ".") || filepath.IsAbs(r.New.Path)) {
			old := r.Old.Path
			if r.Old.Version != "" {
				old += "@" + r.Old.Version
			}
			args = append(args, "-dropreplace="+old)
		}
	}
	if len(args) == 0 {
		return nil
	}
	_, err = Output(dir, env, "go", append([]string{"mod", "edit"}, args...)...)
	return err
}

// BuildAsynclint builds ./cmd/asynclint of the checkout at repo into
// out, and returns a version string (commit, "+dirty" if modified).
func BuildAsynclint(repo, out string) (string, error) {
	if _, err := Output(repo, Env(), "go", "build", "-o", out, "./cmd/asynclint"); err != nil {
		return "", fmt.Errorf("building asynclint: %w", err)
	}
	// Outside a git checkout the binary is still built and usable; only
	// its version is unknown.
	v := "unknown"
	if rev, err := Output(repo, nil, "git", "rev-parse", "--short", "HEAD"); err == nil {
		v = strings.TrimSpace(string(rev))
		if st, err := Output(repo, nil, "git", "status", "--porcelain", "--untracked-files=no"); err == nil && len(bytes.TrimSpace(st)) > 0 {
			v += "+dirty"
		}
	}
	return v, nil
}

// Standalone reports whether the asynclint binary has its own driver
// (asynclint [-checks=...] PACKAGES) rather than only the vet protocol.
// The vet-protocol binary (unitchecker) has no -checks flag.
func Standalone(bin string) bool {
	out, _ := exec.Command(bin, "-h").CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && (f[0] == "-checks" || strings.HasPrefix(f[0], "-checks=")) {
			return true
		}
	}
	return false
}

// Output runs a command in dir and returns its standard output; the
// error carries the tail of its standard error.
func Output(dir string, env []string, name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, Tail(stderr.String(), 2000))
	}
	return out, nil
}

// Tail returns at most the last n bytes of s.
func Tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// A Sample is one measured run.
type Sample struct {
	Wall     time.Duration
	MaxRSS   int64 // peak resident set of the largest process in the tree, bytes.
	ExitCode int
}

// Measure runs a command in dir and measures its wall time and peak RSS:
// the largest single process among the command and the descendants it
// waited for, as /usr/bin/time -v reports it. Its output goes to log
// (which may be nil).
//
// The command runs under /usr/bin/time when it exists: the peak RSS that
// wait4 reports for a direct child of this (Go, vfork-spawning) process
// includes this process's own RSS, which exec records as the child's
// high-water mark; /usr/bin/time is small enough not to matter.
func Measure(dir string, env []string, log io.Writer, name string, args ...string) (Sample, error) {
	var rssFile string
	if _, err := os.Stat(timeBin); err == nil {
		f, err := os.CreateTemp("", "asynclint-bench-rss")
		if err != nil {
			return Sample{}, err
		}
		f.Close()
		rssFile = f.Name()
		defer os.Remove(rssFile)
		args = append([]string{"-q", "-f", "%M", "-o", rssFile, name}, args...)
		name = timeBin
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	if log == nil {
		log = io.Discard
	}
	cmd.Stdout, cmd.Stderr = log, log
	start := time.Now()
	err := cmd.Run()
	s := Sample{Wall: time.Since(start)}
	if cmd.ProcessState == nil {
		return s, err
	}
	s.ExitCode = cmd.ProcessState.ExitCode()
	if rssFile != "" {
		data, err := os.ReadFile(rssFile)
		if err != nil {
			return s, err
		}
		// The last line holds %M; earlier ones may say the command
		// exited non-zero.
		lines := strings.Fields(strings.TrimSpace(string(data)))
		if len(lines) > 0 {
			kb, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
			if err != nil {
				return s, fmt.Errorf("reading %s: %w", timeBin, err)
			}
			s.MaxRSS = kb * 1024
		}
		return s, nil
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.MaxRSS = ru.Maxrss * 1024 // KiB on Linux.
	}
	return s, nil
}

const timeBin = "/usr/bin/time"

// A Package is what the harness needs to know of one package of a module.
type Package struct {
	ImportPath string
	Dir        string
	Files      []string // all Go files: GoFiles, CgoFiles, TestGoFiles, XTestGoFiles.
}

// ListPackages lists the packages of the module at dir (./...).
func ListPackages(dir string, env []string) ([]Package, error) {
	out, err := Output(dir, env, "go", "list", "-e", "-json=ImportPath,Dir,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles", "./...")
	if err != nil {
		return nil, err
	}
	var pkgs []Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath, Dir                              string
			GoFiles, CgoFiles, TestGoFiles, XTestGoFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			return nil, err
		}
		var files []string
		for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.TestGoFiles, p.XTestGoFiles} {
			for _, f := range list {
				files = append(files, filepath.Join(p.Dir, f))
			}
		}
		if len(files) > 0 {
			pkgs = append(pkgs, Package{p.ImportPath, p.Dir, files})
		}
	}
	return pkgs, nil
}

// CountLines counts the lines of the packages' Go files.
func CountLines(pkgs []Package) (int, error) {
	n := 0
	for _, p := range pkgs {
		for _, f := range p.Files {
			file, err := os.Open(f)
			if err != nil {
				return 0, err
			}
			sc := bufio.NewScanner(file)
			sc.Buffer(make([]byte, 1<<20), 1<<26)
			for sc.Scan() {
				if !strings.HasPrefix(sc.Text(), touchPrefix) {
					n++
				}
			}
			file.Close()
			if err := sc.Err(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// touchPrefix starts the comments Touch appends (CountLines skips them).
const touchPrefix = "// asynclint bench "

// Touch appends a comment to one file of every package, so every tool's
// cache misses on the module's own packages (and hits on dependencies).
func Touch(pkgs []Package, stamp string) error {
	for _, p := range pkgs {
		f, err := os.OpenFile(p.Files[0], os.O_RDWR|os.O_APPEND, 0)
		if err != nil {
			return err
		}
		sep := ""
		last := make([]byte, 1)
		if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
			if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
				sep = "\n"
			}
		}
		_, err = fmt.Fprintf(f, "%s%s%s\n", sep, touchPrefix, stamp)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
