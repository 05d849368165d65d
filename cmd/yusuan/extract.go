package main

import (
	"context"
)

func extractCommand() command {
	c := command{name: "extract", summary: "print each PDF's tables, narrative and facts as JSON Lines (no database)", usage: "[--pretty] FILE.pdf..."}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		fs.Usage()
		return 2
	}
	return c
}
