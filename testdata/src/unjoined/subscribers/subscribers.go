package subscribers

import "sync"

type Msg string

type Hub struct {
	mu   sync.Mutex
	next int
	subs map[int]chan Msg
}

func (h *Hub) Subscribe() (int, <-chan Msg) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan Msg, 8)
	h.next++
	h.subs[h.next] = ch
	return h.next, ch
}

func (h *Hub) Forward(handle func(Msg)) {
	_, ch := h.Subscribe()
	go func() {
		for m := range ch {
			handle(m)
		}
	}()
}

// Unsubscribe drops the channel: its reader ranges forever.
func (h *Hub) Unsubscribe(id int) {
	h.mu.Lock()
	delete(h.subs, id) // want `delete from h.subs drops a channel without closing it`
	h.mu.Unlock()
}

// UnsubscribeClosing closes it first.
func (h *Hub) UnsubscribeClosing(id int) { // ok
	h.mu.Lock()
	defer h.mu.Unlock()
	if ch, ok := h.subs[id]; ok {
		close(ch)
		delete(h.subs, id)
	}
}

// UnsubscribeHanded hands the channel to a helper that closes it.
func (h *Hub) UnsubscribeHanded(id int) { // ok
	h.mu.Lock()
	ch := h.subs[id]
	delete(h.subs, id)
	h.mu.Unlock()
	finish(ch)
}

func finish(ch chan Msg) { close(ch) }

// Close ends every subscriber by closing its channel.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, ch := range h.subs {
		close(ch)
		delete(h.subs, id) // ok: closed just before
	}
}

// A registry whose channels are never closed anywhere: its readers do
// not rely on close, so a delete is not a broken protocol.
type Registry struct {
	mu      sync.Mutex
	waiters map[string]chan int
}

func (r *Registry) Wait(key string) chan int {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := make(chan int, 1)
	r.waiters[key] = ch
	return ch
}

func (r *Registry) Done(key string, v int) { // ok
	r.mu.Lock()
	defer r.mu.Unlock()
	if ch, ok := r.waiters[key]; ok {
		ch <- v
		delete(r.waiters, key)
	}
}

func (r *Registry) Cancel(key string) { // ok: no close anywhere
	r.mu.Lock()
	delete(r.waiters, key)
	r.mu.Unlock()
}

// Closed elements read with an index expression.
type Topics struct {
	chans map[string]chan struct{}
}

func (t *Topics) End(name string) { // ok
	close(t.chans[name])
	delete(t.chans, name)
}

func (t *Topics) Forget(name string) {
	delete(t.chans, name) // want `delete from t.chans drops a channel without closing it`
}

// CloseAll closes each channel, then deletes it, and afterwards reads
// another map: the close found first still counts.
type Watcher struct {
	progress map[int64]chan int64
	names    map[int64]string
}

func (w *Watcher) Close() { // ok
	for id, ch := range w.progress {
		close(ch)
		delete(w.progress, id)
	}
	_ = w.names[0]
}

func (w *Watcher) Cancel(id int64) {
	delete(w.progress, id) // want `delete from w.progress drops a channel without closing it`
}
