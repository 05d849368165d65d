// Package store keeps everything yusuan knows in one SQLite database (schema
// created and upgraded by embedded, versioned migrations) and the raw bytes of
// every source file in a content-addressed archive beside it.
//
// Concurrency follows docs/dependencies.md: one writer connection whose
// transactions BEGIN IMMEDIATE, and a separate read-only pool, both in WAL
// mode, so readers never block the writer and a read-then-write transaction
// never fails with SQLITE_BUSY.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ArchiveDirName is the archive's directory name, beside the database file.
const ArchiveDirName = "yusuan-archive"

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is an open database plus its archive. It is safe for concurrent use.
type Store struct {
	path    string
	wr      *sql.DB // one connection: all writes, BEGIN IMMEDIATE
	rd      *sql.DB // query_only pool for readers
	archive *Archive
	aliases *Aliases // nil: none declared
}

// Options adjust Open.
type Options struct {
	// ArchiveDir overrides the default archive directory
	// (yusuan-archive/ beside the database file).
	ArchiveDir string
	// MustExist makes Open fail with ErrNoDatabase, creating nothing, when
	// there is no database at the path: commands that only read or check
	// must not leave an empty database behind a mistyped path.
	MustExist bool
	// AliasesFile names the entity aliases file; by default aliases.toml
	// beside the database file is read when it exists.
	AliasesFile string
}

// ErrNoDatabase is returned by Open with MustExist when the database file
// does not exist.
var ErrNoDatabase = errors.New("no database")

// Open opens (creating if needed) the database at path, applies any pending
// migrations, and opens the archive beside it.
func Open(ctx context.Context, path string) (*Store, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, opt Options) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if opt.MustExist {
		if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("store: %s: %w", path, ErrNoDatabase)
		}
	}
	s := &Store{path: abs}
	if s.aliases, err = loadAliases(abs, opt); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	w := dsn(abs, false)
	if opt.MustExist {
		// SQLite itself refuses to create the file, should it vanish
		// between the check above and the open.
		w += "&mode=rw"
	}
	s.wr, err = sql.Open("sqlite", w)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	s.wr.SetMaxOpenConns(1)
	s.wr.SetMaxIdleConns(1)
	s.wr.SetConnMaxLifetime(0)
	s.wr.SetConnMaxIdleTime(0)
	if err := s.wr.PingContext(ctx); err != nil {
		s.wr.Close()
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.wr.Close()
		return nil, err
	}
	if err := s.backfill(ctx); err != nil {
		s.wr.Close()
		return nil, err
	}
	if err := s.reconcileEntities(ctx); err != nil {
		s.wr.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	s.rd, err = sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		s.wr.Close()
		return nil, fmt.Errorf("store: open reader %s: %w", abs, err)
	}
	s.rd.SetMaxOpenConns(8)
	dir := opt.ArchiveDir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(abs), ArchiveDirName)
	}
	s.archive, err = OpenArchive(dir)
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the connection string of docs/dependencies.md. The path goes
// into a file: URI, so the characters URIs reserve are escaped.
func dsn(path string, readOnly bool) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	q := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
	// Page caches (KiB, grown as used) larger than SQLite's 2 MB default:
	// a check run looks up hundreds of thousands of findings at random.
	if readOnly {
		q += "&_pragma=query_only(1)&_pragma=cache_size(-16384)"
	} else {
		q += "&_txlock=immediate&_pragma=cache_size(-65536)"
	}
	return "file:" + esc + "?" + q
}

// Close closes both connection pools.
func (s *Store) Close() error {
	var errs []error
	if s.rd != nil {
		errs = append(errs, s.rd.Close())
	}
	if s.wr != nil {
		// Fold the WAL back into the database so the file alone is complete.
		_, _ = s.wr.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, s.wr.Close())
	}
	return errors.Join(errs...)
}

// Path is the database file's absolute path.
func (s *Store) Path() string { return s.path }

// Archive is the content-addressed file archive beside the database.
func (s *Store) Archive() *Archive { return s.archive }

// ReadDB is the read-only connection pool, for packages (check, serve) that
// need queries the Store does not offer. Writes through it fail.
func (s *Store) ReadDB() *sql.DB { return s.rd }

// write runs fn in one immediate transaction on the single writer connection:
// it commits when fn returns nil and rolls back otherwise, so a crash or an
// error never leaves part of fn's work behind.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.wr.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// read runs fn in a read transaction on the reader pool, so it sees one
// consistent snapshot.
func (s *Store) read(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.rd.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// migration is one embedded SQL file, migrations/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	seen := map[int]string{}
	for _, n := range names {
		base := strings.TrimSuffix(filepath.Base(n), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must be NNNN_name.sql", n)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s share version %d", prev, n, v)
		}
		seen[v] = n
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies, in order, every embedded migration the database has not
// recorded yet, each in its own transaction together with its record.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations(migrationFiles)
	if err != nil {
		return err
	}
	return s.applyMigrations(ctx, ms)
}

func (s *Store) applyMigrations(ctx context.Context, ms []migration) error {
	if _, err := s.wr.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	for _, m := range ms {
		err := s.write(ctx, func(tx *sql.Tx) error {
			// Checked inside the immediate transaction so two processes
			// opening a fresh database do not both apply a migration.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, now())
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

// SchemaVersion is the highest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := s.rd.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return int(v.Int64), nil
}

// timeFormat is fixed-width UTC, so times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func now() string { return formatTime(time.Now()) }

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}
