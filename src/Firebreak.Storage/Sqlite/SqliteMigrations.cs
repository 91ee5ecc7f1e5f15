namespace Firebreak.Storage.Sqlite;

/// <summary>
/// Versioned schema changes, applied in order at start inside one transaction each. Never edit a
/// migration that has shipped: add a new one. Times are Unix milliseconds (UTC); rollup buckets are
/// Unix minutes and hours.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly (int Version, string Name, string Sql)[] All =
    [
        (1, "spine", """
            CREATE TABLE workspaces (
                id INTEGER PRIMARY KEY,
                slug TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                created_at INTEGER NOT NULL);

            CREATE TABLE sources (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
                platform TEXT NOT NULL,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                name TEXT,
                enabled INTEGER NOT NULL,
                created_at INTEGER NOT NULL);
            CREATE INDEX ix_sources_workspace ON sources(workspace_id);

            CREATE TABLE topics (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
                name TEXT NOT NULL,
                query TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (workspace_id, name));

            CREATE TABLE mentions (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                source_id INTEGER,
                platform TEXT NOT NULL,
                external_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                author_handle TEXT NOT NULL,
                author_name TEXT,
                author_followers INTEGER NOT NULL,
                author_verified INTEGER NOT NULL,
                text TEXT NOT NULL,
                language TEXT NOT NULL,
                url TEXT,
                created_at INTEGER NOT NULL,
                captured_at INTEGER NOT NULL,
                likes INTEGER NOT NULL,
                shares INTEGER NOT NULL,
                replies INTEGER NOT NULL,
                views INTEGER NOT NULL,
                parent_external_id TEXT,
                thread_external_id TEXT,
                raw TEXT,
                sentiment INTEGER NOT NULL,
                analysis TEXT,
                topic_ids TEXT,
                content_hash INTEGER NOT NULL,
                version INTEGER NOT NULL);
            CREATE UNIQUE INDEX ux_mentions_key ON mentions(workspace_id, platform, external_id);
            CREATE INDEX ix_mentions_time ON mentions(workspace_id, created_at, id);
            CREATE INDEX ix_mentions_author ON mentions(workspace_id, author_handle COLLATE NOCASE, created_at);

            CREATE TABLE mention_versions (
                mention_id INTEGER NOT NULL,
                version INTEGER NOT NULL,
                text TEXT NOT NULL,
                captured_at INTEGER NOT NULL,
                likes INTEGER NOT NULL,
                shares INTEGER NOT NULL,
                replies INTEGER NOT NULL,
                views INTEGER NOT NULL,
                raw TEXT,
                PRIMARY KEY (mention_id, version)) WITHOUT ROWID;

            CREATE TABLE mention_topics (
                topic_id INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                mention_id INTEGER NOT NULL,
                PRIMARY KEY (topic_id, created_at, mention_id)) WITHOUT ROWID;

            CREATE VIRTUAL TABLE mention_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='ascii');

            CREATE TABLE rollup_minute (
                workspace_id INTEGER NOT NULL,
                topic_id INTEGER NOT NULL,
                bucket INTEGER NOT NULL,
                count INTEGER NOT NULL,
                negative INTEGER NOT NULL,
                neutral INTEGER NOT NULL,
                positive INTEGER NOT NULL,
                unknown INTEGER NOT NULL,
                reach INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, topic_id, bucket)) WITHOUT ROWID;
            CREATE TABLE rollup_hour (
                workspace_id INTEGER NOT NULL,
                topic_id INTEGER NOT NULL,
                bucket INTEGER NOT NULL,
                count INTEGER NOT NULL,
                negative INTEGER NOT NULL,
                neutral INTEGER NOT NULL,
                positive INTEGER NOT NULL,
                unknown INTEGER NOT NULL,
                reach INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, topic_id, bucket)) WITHOUT ROWID;
            CREATE TABLE rollup_dim_minute (
                workspace_id INTEGER NOT NULL,
                topic_id INTEGER NOT NULL,
                dim INTEGER NOT NULL,
                bucket INTEGER NOT NULL,
                key TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, topic_id, dim, bucket, key)) WITHOUT ROWID;
            CREATE TABLE rollup_dim_hour (
                workspace_id INTEGER NOT NULL,
                topic_id INTEGER NOT NULL,
                dim INTEGER NOT NULL,
                bucket INTEGER NOT NULL,
                key TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, topic_id, dim, bucket, key)) WITHOUT ROWID;
            """),
        (2, "risk cues and label corrections", """
            CREATE TABLE risk_cues (
                workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                query TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, position)) WITHOUT ROWID;

            -- A workspace with a row here uses its own list (possibly empty) instead of the defaults.
            CREATE TABLE risk_cue_lists (workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id), updated_at INTEGER NOT NULL);

            CREATE TABLE label_corrections (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
                mention_id INTEGER NOT NULL,
                task TEXT NOT NULL,
                label TEXT NOT NULL,
                text TEXT NOT NULL,
                language TEXT NOT NULL,
                corrected_by TEXT,
                created_at INTEGER NOT NULL);
            CREATE INDEX ix_label_corrections ON label_corrections(workspace_id, task, id);
            """),
    ];
}
