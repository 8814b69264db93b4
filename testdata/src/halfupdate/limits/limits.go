// Package limits pins halfupdate's known false positives on real code:
// each case is reported although the code it mimics is fine, for a reason
// the check cannot see. If a change stops one from being reported, turn
// its `want` into an `// ok` comment: that is a fix.
package limits

import "context"

type Response struct{ ID string }

// Client is an open interface: its methods are judged by their names.
type Client interface {
	CreateWorkflowInstance(ctx context.Context, name string) (string, error)
	CancelWorkflowInstance(ctx context.Context, id string) error
}

// CancelSample mimics go-workflows samples/cancellation/cancellation.go:50:
// a demo that creates a workflow and then cancels it on purpose.
func CancelSample(ctx context.Context, c Client) error {
	id, err := c.CreateWorkflowInstance(ctx, "wf")
	if err != nil {
		return err
	}
	// LIMIT: the cancel is the intended second step, not a completion that
	// a cancelled ctx can skip; dropping "compensating" second steps would
	// also hide real copy-then-delete moves.
	return c.CancelWorkflowInstance(ctx, id) // want `c.CancelWorkflowInstance can be cancelled after c.CreateWorkflowInstance succeeded`
}

// Updater is an open interface whose "update" is a noun (a Temporal
// workflow update).
type Updater interface {
	updateWithStartWorkflow(ctx context.Context, name string) (*Response, error)
	updateHandleFromResponse(ctx context.Context, resp *Response) (string, error)
}

// UpdateWithStart mimics temporal sdk internal_workflow_client.go:2343:
// the second call polls the outcome of the update; it writes nothing.
func UpdateWithStart(ctx context.Context, w Updater) (string, error) {
	resp, err := w.updateWithStartWorkflow(ctx, "wf")
	if err != nil {
		return "", err
	}
	// LIMIT: only the name says "update"; what the method does is out of
	// reach behind an interface.
	return w.updateHandleFromResponse(ctx, resp) // want `w.updateHandleFromResponse can be cancelled after w.updateWithStartWorkflow succeeded`
}
