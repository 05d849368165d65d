package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// AliasesFileName is the aliases file looked for beside the database.
const AliasesFileName = "aliases.toml"

// Aliases are entity names declared to be one entity (docs/cli.md):
//
//	[[entity]]
//	names = ["中共江苏省委办公厅", "江苏省委办公厅", "中国共产党江苏省委员会办公厅"]
//
// The first name of each group is the one shown. Names are compared after
// NormalizeEntity (spaces and full-width forms do not matter).
type Aliases struct {
	groups [][]string
	index  map[string]int // normalised name → group
}

// AliasError says where an aliases file is wrong.
type AliasError struct {
	File string
	Line int // 0 when unknown
	Err  error
}

func (e *AliasError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *AliasError) Unwrap() error { return e.Err }

// LoadAliases reads an aliases file.
func LoadAliases(path string) (*Aliases, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("aliases: %w", err)
	}
	return ParseAliases(path, b)
}

// ParseAliases parses an aliases file's contents; name is used in errors.
func ParseAliases(name string, data []byte) (*Aliases, error) {
	var raw struct {
		Entity []struct {
			Names []string `toml:"names"`
		} `toml:"entity"`
	}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &AliasError{File: name, Line: pe.Position.Line, Err: errors.New(pe.Message)}
		}
		return nil, &AliasError{File: name, Err: err}
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, &AliasError{File: name, Err: fmt.Errorf("unknown key %q (want [[entity]] names = [...])", und[0].String())}
	}
	a := &Aliases{index: map[string]int{}}
	for i, e := range raw.Entity {
		var group []string
		for _, n := range e.Names {
			norm := NormalizeEntity(n)
			if norm == "" {
				continue
			}
			if g, dup := a.index[norm]; dup {
				if g == len(a.groups) {
					continue // the same name twice in one group
				}
				return nil, &AliasError{File: name, Err: fmt.Errorf("entity %d: %q is already a name of entity %d (%s)",
					i+1, n, g+1, a.groups[g][0])}
			}
			a.index[norm] = len(a.groups)
			group = append(group, n)
		}
		if len(group) < 2 {
			return nil, &AliasError{File: name, Err: fmt.Errorf("entity %d: needs at least two names", i+1)}
		}
		a.groups = append(a.groups, group)
	}
	return a, nil
}

// Canonical is the name shown for an aliased name (the first of its group)
// and true, or name and false when it is no alias.
func (a *Aliases) Canonical(name string) (string, bool) {
	if a == nil {
		return name, false
	}
	g, ok := a.index[NormalizeEntity(name)]
	if !ok {
		return name, false
	}
	return a.groups[g][0], true
}

// names are the normalised names of name's group, the canonical first; nil
// when name is no alias.
func (a *Aliases) names(name string) []string {
	if a == nil {
		return nil
	}
	g, ok := a.index[name]
	if !ok {
		return nil
	}
	out := make([]string, 0, len(a.groups[g]))
	for _, n := range a.groups[g] {
		out = append(out, NormalizeEntity(n))
	}
	return out
}

// digest identifies the grouping the aliases declare ("" for none): the
// normalised names of each group, in order.
func (a *Aliases) digest() string {
	if a == nil || len(a.groups) == 0 {
		return ""
	}
	h := sha256.New()
	for _, g := range a.groups {
		for _, n := range g {
			fmt.Fprintf(h, "%s\x00", NormalizeEntity(n))
		}
		h.Write([]byte{0xff})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Groups returns the declared groups, each canonical name first.
func (a *Aliases) Groups() [][]string {
	if a == nil {
		return nil
	}
	return a.groups
}

// CanonicalEntity is the name under which an entity is known: the first
// name of its aliases group, or name itself.
func (s *Store) CanonicalEntity(name string) string {
	c, _ := s.aliases.Canonical(name)
	return c
}

// loadAliases reads the aliases file of opt (or the one beside the database
// when it exists).
func loadAliases(dbPath string, opt Options) (*Aliases, error) {
	path := opt.AliasesFile
	if path == "" {
		path = aliasesBeside(dbPath)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	return LoadAliases(path)
}

// aliasesBeside is the aliases file's default path.
func aliasesBeside(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), AliasesFileName) }
