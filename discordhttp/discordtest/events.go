package discordtest

// subscriberBuffer bounds what a slow subscriber may miss: events only say
// "look again", so a dropped one is caught up by the next.
const subscriberBuffer = 64

// Subscribe returns change notifications and a function that ends them.
func (f *Fake) Subscribe() (<-chan Event, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextSub
	f.nextSub++
	ch := make(chan Event, subscriberBuffer)
	f.subs[id] = ch
	return ch, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if c, ok := f.subs[id]; ok {
			delete(f.subs, id)
			close(c)
		}
	}
}

// publish never blocks the fake on a slow page; callers hold f.mu.
func (f *Fake) publish(e Event) {
	for _, ch := range f.subs {
		select {
		case ch <- e:
		default:
		}
	}
}
