package halfupdate

import (
	"go/types"
	"testing"
)

// TestLevelTriggered covers the Kubernetes exclusion, whose packages
// cannot sit in the fixtures' GOPATH under their real import paths.
func TestLevelTriggered(t *testing.T) {
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	for path, want := range map[string]bool{
		"sigs.k8s.io/controller-runtime/pkg/client":      true,
		"k8s.io/client-go/kubernetes/typed/core/v1":      true,
		"example.com/store":                              false,
		"sigs.k8s.io/controller-runtime-fork/pkg/client": false,
	} {
		fn := types.NewFunc(0, types.NewPackage(path, "p"), "Update", sig)
		if got := isLevelTriggered(fn); got != want {
			t.Errorf("isLevelTriggered(%s.Update) = %v, want %v", path, got, want)
		}
	}
}
