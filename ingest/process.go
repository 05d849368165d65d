package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"yusuan"
)

// MemoryBounded is an Extractor that can hold one extraction to a memory
// limit. oom reports that the limit stopped it, so a caller may try again
// with more.
type MemoryBounded interface {
	Extractor
	ExtractWithin(ctx context.Context, data []byte, fileName string, memory int64) (doc *yusuan.Document, oom bool)
}

// DefaultFileMemory is the most memory one extraction may use.
const DefaultFileMemory = 1 << 30

// Process runs extractions in child processes: the only hard bound on the
// PDF library, whose loops take no context and whose allocations cannot be
// refused. A child is killed when its file's time is up, so a file that
// times out leaves nothing running, and it cannot grow past its file's
// memory limit (Worker enforces it), so one file cannot take a run's
// memory. Children are reused from file to file (a process start per file
// costs more CPU than extracting a typical disclosure); one is replaced
// when it is killed, dies or has grown. Close stops the idle ones.
type Process struct {
	// Command starts a worker, which serves files read from stdin (see
	// Worker): `yusuan extract-worker`.
	Command []string
	// Ver is the extractor version (the worker's).
	Ver string
	// Timeout kills a child still working on a file after it, when the
	// context has no earlier deadline; 0 means 90 s (the extractor's own
	// 60 s and time to report).
	Timeout time.Duration
	// Memory is the limit Extract gives a file; 0 means DefaultFileMemory.
	// It is also the most a child may ever hold.
	Memory int64

	mu     sync.Mutex
	idle   []*child
	closed bool
}

// maxWorkerOutput bounds the JSON a worker may write for one file.
const maxWorkerOutput = 256 << 20

// Environment of the worker: the most memory any one of its files may use.
const workerMemoryEnv = "YUSUAN_WORKER_MEMORY"

// request precedes each file sent to a worker.
type request struct {
	File   string `json:"file"`
	Size   int    `json:"size"`
	Memory int64  `json:"memory"`
}

// response is what a worker writes for each file, on one line.
type response struct {
	Doc *yusuan.Document `json:"doc"`
	// Retire: the worker has grown and exits; do not send it more.
	Retire bool `json:"retire,omitempty"`
}

// Version returns Ver.
func (p *Process) Version() string { return p.Ver }

func (p *Process) memory() int64 {
	if p.Memory > 0 {
		return p.Memory
	}
	return DefaultFileMemory
}

// Extract runs ExtractWithin with the Memory limit.
func (p *Process) Extract(ctx context.Context, data []byte, fileName string) *yusuan.Document {
	doc, _ := p.ExtractWithin(ctx, data, fileName, p.memory())
	return doc
}

// ExtractWithin extracts data in a child process, the file held to memory
// bytes (at most Memory).
func (p *Process) ExtractWithin(ctx context.Context, data []byte, fileName string, memory int64) (*yusuan.Document, bool) {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 90 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	memory = min(memory, p.memory())
	fail := func(kind yusuan.FailureKind, format string, args ...any) *yusuan.Document {
		doc := FailedDocument("", fileName, kind, fmt.Sprintf(format, args...))
		doc.Extractor = p.Ver
		return doc
	}
	c, err := p.get()
	if err != nil {
		return fail(yusuan.FailInternal, "cannot start the extraction process: %v", err), false
	}
	start := time.Now()
	type result struct {
		resp response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := c.serve(request{File: fileName, Size: len(data), Memory: memory}, data)
		done <- result{resp, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		c.kill()
		<-done
		c.reap()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fail(yusuan.FailTimeout, "gave up after %s: the extraction was stopped", time.Since(start).Round(time.Second)), false
		}
		return fail(yusuan.FailTimeout, "interrupted: %v", ctx.Err()), false
	}
	if r.err != nil {
		c.kill()
		status := c.reap()
		switch {
		case errors.Is(r.err, errTooLong):
			return fail(yusuan.FailLimit, "the extraction wrote more than %d MiB", maxWorkerOutput>>20), false
		// The Go runtime's own words when an allocation is refused: the
		// child cannot report it, it dies of it.
		case strings.Contains(c.stderr.String(), "out of memory"):
			return fail(yusuan.FailLimit, "the extraction needed more than its memory limit of %d MiB and was stopped", memory>>20), true
		case status.Signaled():
			return fail(yusuan.FailLimit, "the extraction was killed (%v), most likely by the system for want of memory", status.Signal()), true
		}
		return fail(yusuan.FailInternal, "the extraction process failed: %v: %s", r.err, lastLine(c.stderr.String())), false
	}
	if r.resp.Retire {
		c.stop()
	} else {
		p.put(c)
	}
	if r.resp.Doc == nil {
		return fail(yusuan.FailInternal, "the extraction process wrote no document"), false
	}
	return r.resp.Doc, false
}

// Close stops the idle workers; the ones at work stop when their file is
// done. A worker whose parent is gone exits too (its input closes).
func (p *Process) Close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, c := range idle {
		c.stop()
	}
	return nil
}

func (p *Process) get() (*child, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	return startChild(p.Command, p.memory())
}

func (p *Process) put(c *child) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		go c.stop()
		return
	}
	p.idle = append(p.idle, c)
}

// child is one worker process.
type child struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *stderrLog
	once   sync.Once
	status syscall.WaitStatus
}

func startChild(command []string, memory int64) (*child, error) {
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", workerMemoryEnv, memory))
	cmd.SysProcAttr = childAttr()
	c := &child{cmd: cmd, stderr: newStderrLog()}
	cmd.Stderr = c.stderr
	var err error
	if c.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c.out = bufio.NewReaderSize(out, 64<<10)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return c, nil
}

// serve sends one file and reads the worker's answer.
func (c *child) serve(req request, data []byte) (response, error) {
	head, _ := json.Marshal(req)
	if _, err := c.in.Write(append(head, '\n')); err != nil {
		return response{}, err
	}
	if _, err := c.in.Write(data); err != nil {
		return response{}, err
	}
	line, err := readLine(c.out, maxWorkerOutput)
	if err != nil {
		return response{}, err
	}
	var resp response
	if err := json.Unmarshal(line, &resp); err != nil {
		return response{}, fmt.Errorf("unreadable answer: %w", err)
	}
	return resp, nil
}

// kill ends the worker at once; reap it when no one reads its output.
func (c *child) kill() {
	_ = c.cmd.Process.Kill()
	c.in.Close()
}

// reap waits for the worker to end and returns how it ended.
func (c *child) reap() syscall.WaitStatus {
	c.once.Do(func() {
		_ = c.cmd.Wait()
		if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
			c.status = ws
		}
	})
	return c.status
}

// stop ends an idle worker: its input closes and it exits (or is killed
// if it does not within 5 s).
func (c *child) stop() {
	c.in.Close()
	t := time.AfterFunc(5*time.Second, c.kill)
	defer t.Stop()
	c.reap()
}

var errTooLong = errors.New("answer too long")

// readLine reads one line of at most max bytes.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		part, err := r.ReadSlice('\n')
		if len(line)+len(part) > max {
			return nil, errTooLong
		}
		line = append(line, part...)
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) == 0:
			return nil, fmt.Errorf("the worker ended: %w", io.ErrUnexpectedEOF)
		default:
			return nil, err
		}
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// cappedBuffer keeps at most max bytes written to it: the first ones, or
// with keepTail the last ones. It is safe for concurrent use (exec copies
// a child's stderr into it from its own goroutine).
type cappedBuffer struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	max      int
	keepTail bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	switch {
	case c.buf.Len()+len(p) <= c.max:
	case c.keepTail:
		p = p[max(0, len(p)-c.max):]
		keep := bytes.Clone(c.buf.Bytes()[max(0, c.buf.Len()+len(p)-c.max):])
		c.buf.Reset()
		c.buf.Write(keep)
	default:
		p = p[:c.max-c.buf.Len()]
	}
	c.buf.Write(p)
	return n, nil
}

func (c *cappedBuffer) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// stderrLog keeps the start of a worker's error output (where the Go
// runtime says why it died) and its end (the last thing it did).
type stderrLog struct {
	head, tail cappedBuffer
}

func newStderrLog() *stderrLog {
	return &stderrLog{head: cappedBuffer{max: 4 << 10}, tail: cappedBuffer{max: 4 << 10, keepTail: true}}
}

func (l *stderrLog) Write(p []byte) (int, error) {
	l.head.Write(p)
	return l.tail.Write(p)
}

// String is the head, and the tail when it goes further.
func (l *stderrLog) String() string {
	h, t := l.head.String(), l.tail.String()
	if len(h) < l.head.max || strings.HasSuffix(h, t) {
		return h
	}
	return h + "\n…\n" + t
}
