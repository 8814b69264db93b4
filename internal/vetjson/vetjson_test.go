package vetjson

import (
	"encoding/json"
	"testing"
)

func TestParsePosn(t *testing.T) {
	for _, tt := range []struct {
		in        string
		file      string
		line, col int
	}{
		{"/a/b.go:12:3", "/a/b.go", 12, 3},
		{"/a/t.tmpl:102", "/a/t.tmpl", 102, 0},
		{"C:/x/b.go:4:5", "C:/x/b.go", 4, 5},
		{"nofile", "nofile", 0, 0},
	} {
		file, line, col := ParsePosn(tt.in)
		if file != tt.file || line != tt.line || col != tt.col {
			t.Errorf("ParsePosn(%q) = %q, %d, %d; want %q, %d, %d", tt.in, file, line, col, tt.file, tt.line, tt.col)
		}
	}
}

func TestDecodeResult(t *testing.T) {
	diags, failure, err := DecodeResult(json.RawMessage(`[{"posn": "a.go:1:2", "message": "m", "category": "c"}]`))
	if err != nil || failure != "" || len(diags) != 1 || diags[0].Message != "m" || diags[0].Category != "c" {
		t.Errorf("diagnostics: %+v %q %v", diags, failure, err)
	}
	_, failure, err = DecodeResult(json.RawMessage(`{"error": "boom"}`))
	if err != nil || failure != "boom" {
		t.Errorf("error result: %q %v", failure, err)
	}
	if _, _, err := DecodeResult(json.RawMessage(`42`)); err == nil {
		t.Error("no error for a malformed result")
	}
}
