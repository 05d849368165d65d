-- Small facts about the store itself. 'aliases' is the digest of the
-- aliases file the entities were last made to agree with: entities are
-- recomputed (merged or split) only when the file changes.
CREATE TABLE store_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
