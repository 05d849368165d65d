package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"

	"yusuan"
)

// Worker growth limits: a worker whose address space has grown this much
// past its start, or that has served this many files, answers and exits
// (Process starts another), so that memory held from one large file never
// counts against the next file's limit for long. So does one whose file
// timed out.
const (
	retireGrowth = 256 << 20
	retireFiles  = 1000
	// addressSlack covers the runtime's 64 MiB heap arenas and stacks.
	addressSlack = 128 << 20
)

// Worker is the child side of Process. It serves files read from in until
// in closes: for each, a JSON request line then the file's bytes; it
// writes the Document on one JSON line to out. Each file is held to the
// memory its request names: the collector keeps the heap under it while
// it can, and the address-space limit refuses the rest, of which the Go
// runtime dies (Process reports the file as over its limit).
func Worker(ctx context.Context, in io.Reader, out io.Writer, extract func(ctx context.Context, data []byte, fileName string) *yusuan.Document) error {
	most, err := strconv.ParseInt(os.Getenv(workerMemoryEnv), 10, 64)
	if err != nil || most <= 0 {
		most = DefaultFileMemory
	}
	base, err := vmSize()
	if err != nil {
		return fmt.Errorf("extract worker: %w", err)
	}
	hard := base + most + addressSlack
	if err := setAddressLimit(hard, hard); err != nil {
		return fmt.Errorf("extract worker: memory limit: %w", err)
	}
	// The worker does nothing but extract, under a memory limit that
	// makes the collector work harder as it is neared: it can let the heap
	// grow further between collections than a process that also holds a
	// store (GOGC 400 takes a fifth off a worker's CPU time on the corpus).
	debug.SetGCPercent(400)
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriter(out)
	for files := 1; ; files++ {
		head, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) && len(head) == 0 {
			return nil // Process closed our input: done
		}
		if err != nil {
			return fmt.Errorf("extract worker: reading a request: %w", err)
		}
		var req request
		if err := json.Unmarshal(head, &req); err != nil || req.Size < 0 {
			return fmt.Errorf("extract worker: bad request %q", head)
		}
		mem := min(max(req.Memory, 1), most)
		debug.SetMemoryLimit(mem)
		now, err := vmSize()
		if err != nil {
			return fmt.Errorf("extract worker: %w", err)
		}
		if err := setAddressLimit(min(now+mem+addressSlack, hard), hard); err != nil {
			return fmt.Errorf("extract worker: memory limit: %w", err)
		}
		data := make([]byte, req.Size)
		if _, err := io.ReadFull(r, data); err != nil {
			return fmt.Errorf("extract worker: reading %s: %w", req.File, err)
		}
		doc := extract(ctx, data, req.File)
		now, _ = vmSize()
		// A file that ran out of time may have left work behind in a call
		// that takes no context: only the end of this process stops it.
		timedOut := doc == nil || doc.ErrorKind == yusuan.FailTimeout
		retire := timedOut || now-base > retireGrowth || files >= retireFiles
		if err := json.NewEncoder(w).Encode(response{Doc: doc, Retire: retire}); err != nil {
			return fmt.Errorf("extract worker: %w", err)
		}
		if err := w.Flush(); err != nil {
			return fmt.Errorf("extract worker: %w", err)
		}
		if retire {
			return nil
		}
	}
}
