package main

import (
	"context"
	"fmt"
	"net"

	"yusuan/store"
	"yusuan/web"
)

func serveCommand() command {
	c := command{name: "serve", summary: "web UI and JSON API over the store: overview, findings with their evidence on the page, documents, entities across years, verdicts",
		usage: "[--db yusuan.db] [--addr 127.0.0.1:8080] [--auth user:password | --auth-file FILE] [--by NAME]"}
	c.run = func(ctx context.Context, e *env, args []string) int {
		fs := newFlags(e, c)
		db := dbFlag(fs)
		addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; beyond loopback only with --auth or --auth-file")
		auth := fs.String("auth", "", "require HTTP basic auth with this `user:password` (visible to other users in the process list: prefer --auth-file)")
		authFile := fs.String("auth-file", "", "require HTTP basic auth with the user:password on the first line of this `file` (mode 600)")
		by := fs.String("by", "", "who verdicts are recorded as without --auth, unless the form names someone (default: the user running the server)")
		cacheMB := fs.Int("cache-mb", 128, "memory for drawn pages, in MiB")
		if ok, st := parseFlags(fs, args); !ok {
			return st
		}
		if fs.NArg() > 0 {
			return usageError(e, c, "takes no arguments")
		}
		creds, code := credentials(e, c, *auth, *authFile)
		if code != 0 {
			return code
		}
		if err := web.CheckAddr(*addr, creds != nil); err != nil {
			fmt.Fprintf(e.stderr, "yusuan serve: %v\n", err)
			return 2
		}
		st, ok := openStore(ctx, e, c.name, *db)
		if !ok {
			return 1
		}
		defer st.Close()
		return serve(ctx, e, st, *addr, web.Options{Auth: creds, By: *by, CacheBytes: int64(*cacheMB) << 20})
	}
	return c
}

// credentials reads --auth or --auth-file (not both).
func credentials(e *env, c command, auth, authFile string) (*web.Credentials, int) {
	switch {
	case auth != "" && authFile != "":
		return nil, usageError(e, c, "give --auth or --auth-file, not both")
	case auth != "":
		creds, err := web.ParseCredentials(auth)
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan %s: --auth: %v\n", c.name, err)
			return nil, 2
		}
		return creds, 0
	case authFile != "":
		creds, err := web.ReadCredentialsFile(authFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "yusuan %s: --auth-file: %v\n", c.name, err)
			return nil, 2
		}
		return creds, 0
	}
	return nil, 0
}

// serve runs the web UI on st until ctx ends (SIGINT, SIGTERM).
func serve(ctx context.Context, e *env, st *store.Store, addr string, opt web.Options) int {
	opt.Logger = e.log
	srv, err := web.New(st, st.Archive(), opt)
	if err != nil {
		fmt.Fprintf(e.stderr, "yusuan serve: %v\n", err)
		return 1
	}
	ready := func(a net.Addr) {
		auth := ""
		if opt.Auth != nil {
			auth = " (basic auth as " + opt.Auth.User + ")"
		}
		fmt.Fprintf(e.stdout, "yusuan serve: %s on http://%s/%s — Ctrl-C stops\n", st.Path(), a, auth)
	}
	if err := web.ListenAndServe(ctx, addr, srv, ready); err != nil {
		fmt.Fprintf(e.stderr, "yusuan serve: %v\n", err)
		return 1
	}
	return 0
}
