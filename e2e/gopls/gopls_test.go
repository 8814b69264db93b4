package gopls_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/asynclint/asynclint/e2e"
)

// TestGopls builds gopls with asynclint's analyzers
// (scripts/build-gopls.sh), talks to it over stdio as an editor would,
// and checks that sigstate's diagnostic arrives at the right range, that
// its quick fix is offered with the right edit, and that gopls's
// "analyses" setting turns the check off.
//
// ASYNCLINT_GOPLS_BIN names an already built binary to use instead.
func TestGopls(t *testing.T) {
	e2e.RequireEnv(t, "ASYNCLINT_E2E_GOPLS", "scripts/e2e-gopls.sh", "gopls with asynclint")
	bin := e2e.Binary(t, "ASYNCLINT_GOPLS_BIN", "build-gopls.sh", "gopls")

	dir := e2e.CopyFixture(t, "gopls")
	file := filepath.Join(dir, "main.go")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)

	// Where the diagnostic and the fix must be, found by content.
	notify := e2e.LineOf(t, text, "signal.Notify(stop") - 1 // LSP lines are 0-based
	notifyLine := strings.Split(text, "\n")[notify]
	col := uint32(strings.Index(notifyLine, "(stop") + 1)
	wantRange := protocol.Range{
		Start: protocol.Position{Line: uint32(notify), Character: col},
		End:   protocol.Position{Line: uint32(notify), Character: col + uint32(len("stop"))},
	}
	wantFixed := strings.Replace(text, "make(chan os.Signal)", "make(chan os.Signal, 1)", 1)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	server, client := startGopls(ctx, t, bin, dir)
	docURI := uri.File(file)

	start := time.Now()
	if _, err := server.Initialize(ctx, &protocol.InitializeParams{
		ProcessID:        int32(os.Getpid()),
		ClientInfo:       &protocol.ClientInfo{Name: "asynclint-e2e"},
		RootURI:          uri.File(dir),
		WorkspaceFolders: []protocol.WorkspaceFolder{{URI: string(uri.File(dir)), Name: "fixture"}},
		Capabilities: protocol.ClientCapabilities{
			Workspace: &protocol.WorkspaceClientCapabilities{
				WorkspaceEdit: &protocol.WorkspaceClientCapabilitiesWorkspaceEdit{DocumentChanges: true},
				Configuration: true,
			},
			TextDocument: &protocol.TextDocumentClientCapabilities{
				PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{RelatedInformation: true},
				CodeAction: &protocol.CodeActionClientCapabilities{
					CodeActionLiteralSupport: &protocol.CodeActionClientCapabilitiesLiteralSupport{
						CodeActionKind: &protocol.CodeActionClientCapabilitiesKind{
							ValueSet: []protocol.CodeActionKind{protocol.QuickFix},
						},
					},
				},
			},
		},
	}); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if err := server.Initialized(ctx, &protocol.InitializedParams{}); err != nil {
		t.Fatalf("initialized: %v", err)
	}
	if err := server.DidOpen(ctx, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: docURI, LanguageID: protocol.GoLanguage, Version: 1, Text: text,
	}}); err != nil {
		t.Fatalf("didOpen: %v", err)
	}

	diag := client.await(ctx, t, docURI, "sigstate")
	t.Logf("gopls published the sigstate diagnostic %s after didOpen", time.Since(start).Round(10*time.Millisecond))
	if diag.Range != wantRange {
		t.Errorf("diagnostic range = %v, want %v (the channel argument of signal.Notify)", diag.Range, wantRange)
	}
	if !strings.Contains(diag.Message, "signal.Notify with unbuffered channel stop") {
		t.Errorf("diagnostic message = %q, want sigstate's unbuffered-channel message", diag.Message)
	}
	if diag.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("diagnostic severity = %v, want warning (sigstate's documented severity)", diag.Severity)
	}

	actions, err := server.CodeAction(ctx, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: docURI},
		Range:        diag.Range,
		Context: protocol.CodeActionContext{
			Diagnostics: []protocol.Diagnostic{diag},
			Only:        []protocol.CodeActionKind{protocol.QuickFix},
		},
	})
	if err != nil {
		t.Fatalf("codeAction: %v", err)
	}
	var fix *protocol.CodeAction
	var titles []string
	for i, a := range actions {
		titles = append(titles, a.Title)
		if a.Title == "Give the channel capacity 1" {
			fix = &actions[i]
		}
	}
	if fix == nil {
		t.Fatalf("no quick fix \"Give the channel capacity 1\" among the code actions %q", titles)
	}
	if fix.Kind != protocol.QuickFix {
		t.Errorf("fix kind = %q, want %q", fix.Kind, protocol.QuickFix)
	}
	if fix.Edit == nil {
		t.Fatalf("quick fix has no edit (command %v)", fix.Command)
	}
	edits := editsFor(fix.Edit, docURI)
	if len(edits) != 1 || edits[0].NewText != ", 1" || edits[0].Range.Start != edits[0].Range.End {
		t.Errorf("quick fix edits = %+v, want one insertion of \", 1\"", edits)
	}
	if got := applyEdits(t, text, edits); got != wantFixed {
		t.Errorf("applying the quick fix gives\n%s\nwant\n%s", got, wantFixed)
	}

	// The user turns the check off as editors do: new settings, then
	// didChangeConfiguration; gopls asks for them and republishes.
	client.setSettings(map[string]any{"analyses": map[string]any{"sigstate": false}})
	if err := server.DidChangeConfiguration(ctx, &protocol.DidChangeConfigurationParams{Settings: nil}); err != nil {
		t.Fatalf("didChangeConfiguration: %v", err)
	}
	client.awaitNone(ctx, t, docURI, "sigstate")

	if err := server.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	_ = server.Exit(ctx)
}

// startGopls starts bin over stdio in dir and connects an LSP client to it.
func startGopls(ctx context.Context, t *testing.T, bin, dir string) (protocol.Server, *recorder) {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Stderr = testWriter{t}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	client := &recorder{t: t, published: make(chan struct{}, 1)}
	stream := jsonrpc2.NewStream(stdio{stdout, stdin})
	_, conn, server := protocol.NewClient(ctx, client, stream, zap.NewNop())
	t.Cleanup(func() { _ = conn.Close() })
	return server, client
}

// editsFor returns the text edits a workspace edit makes to doc, in
// either of the two forms a server may use.
func editsFor(we *protocol.WorkspaceEdit, doc protocol.DocumentURI) []protocol.TextEdit {
	edits := we.Changes[doc]
	for _, dc := range we.DocumentChanges {
		if dc.TextDocument.URI == doc {
			edits = append(edits, dc.Edits...)
		}
	}
	return edits
}

// applyEdits applies LSP edits to text (ASCII text, so UTF-16 columns
// are byte offsets within a line).
func applyEdits(t *testing.T, text string, edits []protocol.TextEdit) string {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	offset := func(p protocol.Position) int {
		if int(p.Line) >= len(lines) || int(p.Character) > len(lines[p.Line]) {
			t.Fatalf("edit position %v is outside the file", p)
		}
		n := 0
		for _, l := range lines[:p.Line] {
			n += len(l)
		}
		return n + int(p.Character)
	}
	sorted := append([]protocol.TextEdit(nil), edits...)
	sort.Slice(sorted, func(i, j int) bool { return offset(sorted[i].Range.Start) > offset(sorted[j].Range.Start) })
	for _, e := range sorted {
		start, end := offset(e.Range.Start), offset(e.Range.End)
		text = text[:start] + e.NewText + text[end:]
	}
	return text
}

// recorder is the editor side of the connection: it keeps the latest
// diagnostics gopls published for each document, and answers gopls's
// requests for the user's settings.
type recorder struct {
	t         *testing.T
	mu        sync.Mutex
	diags     map[protocol.DocumentURI][]protocol.Diagnostic
	settings  map[string]any // the "gopls" section; nil: defaults
	published chan struct{}  // signalled after each publishDiagnostics
}

func (r *recorder) setSettings(s map[string]any) {
	r.mu.Lock()
	r.settings = s
	r.mu.Unlock()
}

// awaitNone waits until diagnostics are published for doc and none of
// them comes from the analyzer source.
func (r *recorder) awaitNone(ctx context.Context, t *testing.T, doc protocol.DocumentURI, source string) {
	t.Helper()
	for {
		select {
		case <-r.published:
		case <-ctx.Done():
			t.Fatalf("%s diagnostics still published for %s after it was turned off", source, doc)
		}
		r.mu.Lock()
		ds := r.diags[doc]
		r.mu.Unlock()
		if !slices.ContainsFunc(ds, func(d protocol.Diagnostic) bool { return d.Source == source }) {
			return
		}
	}
}

// await waits until the diagnostics published for doc include one from
// the analyzer source, and returns it.
func (r *recorder) await(ctx context.Context, t *testing.T, doc protocol.DocumentURI, source string) protocol.Diagnostic {
	t.Helper()
	for {
		r.mu.Lock()
		ds := r.diags[doc]
		r.mu.Unlock()
		for _, d := range ds {
			if d.Source == source {
				return d
			}
		}
		select {
		case <-r.published:
		case <-ctx.Done():
			t.Fatalf("no %s diagnostic published for %s; last diagnostics: %+v", source, doc, ds)
		}
	}
}

func (r *recorder) PublishDiagnostics(_ context.Context, p *protocol.PublishDiagnosticsParams) error {
	r.mu.Lock()
	if r.diags == nil {
		r.diags = make(map[protocol.DocumentURI][]protocol.Diagnostic)
	}
	r.diags[p.URI] = p.Diagnostics
	r.mu.Unlock()
	select {
	case r.published <- struct{}{}:
	default:
	}
	return nil
}

func (r *recorder) LogMessage(_ context.Context, p *protocol.LogMessageParams) error {
	r.t.Logf("gopls: %s", p.Message)
	return nil
}

func (r *recorder) ShowMessage(_ context.Context, p *protocol.ShowMessageParams) error {
	r.t.Logf("gopls (shown): %s", p.Message)
	return nil
}

func (r *recorder) Progress(context.Context, *protocol.ProgressParams) error { return nil }
func (r *recorder) WorkDoneProgressCreate(context.Context, *protocol.WorkDoneProgressCreateParams) error {
	return nil
}
func (r *recorder) ShowMessageRequest(context.Context, *protocol.ShowMessageRequestParams) (*protocol.MessageActionItem, error) {
	return nil, nil
}
func (r *recorder) Telemetry(context.Context, any) error { return nil }
func (r *recorder) RegisterCapability(context.Context, *protocol.RegistrationParams) error {
	return nil
}
func (r *recorder) UnregisterCapability(context.Context, *protocol.UnregistrationParams) error {
	return nil
}
func (r *recorder) ApplyEdit(context.Context, *protocol.ApplyWorkspaceEditParams) (bool, error) {
	return false, nil
}
func (r *recorder) Configuration(_ context.Context, p *protocol.ConfigurationParams) ([]any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := make([]any, len(p.Items))
	for i, item := range p.Items {
		if item.Section == "gopls" && r.settings != nil {
			res[i] = r.settings
		}
	}
	return res, nil
}
func (r *recorder) WorkspaceFolders(context.Context) ([]protocol.WorkspaceFolder, error) {
	return nil, nil
}

// stdio joins gopls's stdout and stdin into the connection jsonrpc2 wants.
type stdio struct {
	io.ReadCloser
	io.WriteCloser
}

func (s stdio) Close() error {
	err := s.WriteCloser.Close()
	if rerr := s.ReadCloser.Close(); err == nil {
		err = rerr
	}
	return err
}

// testWriter sends gopls's stderr (its log) to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Logf("gopls stderr: %s", strings.TrimRight(string(b), "\n"))
	return len(b), nil
}
