package web

import (
	"container/list"
	"sync"
)

// lru is a cache bounded by the bytes its values hold (as their cost
// says), dropping the least recently used first. Drawn pages, the text
// layers of pages and decoded documents are kept in one so that one
// budget bounds them all.
type lru struct {
	mu    sync.Mutex
	max   int64
	used  int64
	order *list.List // front: most recently used
	items map[string]*list.Element
	hits  int64
	miss  int64
}

type lruEntry struct {
	key   string
	value any
	cost  int64
}

func newLRU(maxBytes int64) *lru {
	return &lru{max: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		c.miss++
		return nil, false
	}
	c.hits++
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry).value, true
}

// put stores value at a cost in bytes; a value larger than the whole
// budget is not kept.
func (c *lru) put(key string, value any, cost int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cost > c.max {
		return
	}
	if el, ok := c.items[key]; ok {
		e := el.Value.(*lruEntry)
		c.used += cost - e.cost
		e.value, e.cost = value, cost
		c.order.MoveToFront(el)
	} else {
		c.items[key] = c.order.PushFront(&lruEntry{key: key, value: value, cost: cost})
		c.used += cost
	}
	for c.used > c.max {
		el := c.order.Back()
		e := el.Value.(*lruEntry)
		c.order.Remove(el)
		delete(c.items, e.key)
		c.used -= e.cost
	}
}

// stats are the bytes held, entries, hits and misses.
func (c *lru) stats() (used int64, n int, hits, miss int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used, len(c.items), c.hits, c.miss
}
