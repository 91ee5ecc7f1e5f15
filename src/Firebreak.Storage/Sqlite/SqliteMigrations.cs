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
        (3, "alerting: contacts, channel targets, rules, alerts, history, delivery outbox", """
            -- People alerts reach (accounts will link to them); quiet hours in minutes after local midnight.
            CREATE TABLE alert_contacts (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
                name TEXT NOT NULL,
                email TEXT,
                on_call_order INTEGER,
                quiet_start INTEGER,
                quiet_end INTEGER,
                quiet_time_zone TEXT,
                enabled INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE INDEX ix_alert_contacts ON alert_contacts(workspace_id, id);

            -- settings is JSON without secrets; secret is AES-GCM ciphertext (webhook secret, SMTP password, Slack/Teams URL).
            CREATE TABLE alert_channels (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
                kind INTEGER NOT NULL,
                name TEXT NOT NULL,
                settings TEXT NOT NULL,
                secret TEXT,
                enabled INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE INDEX ix_alert_channels ON alert_channels(workspace_id, id);

            CREATE TABLE alert_rules (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
                topic_id INTEGER,
                name TEXT NOT NULL,
                signals TEXT NOT NULL,
                min_severity INTEGER NOT NULL,
                on_call INTEGER NOT NULL,
                contact_ids TEXT NOT NULL,
                emails TEXT NOT NULL,
                in_app INTEGER NOT NULL,
                channel_ids TEXT NOT NULL,
                escalate_after_ms INTEGER NOT NULL,
                enabled INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE INDEX ix_alert_rules ON alert_rules(workspace_id, id);

            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                topic_id INTEGER NOT NULL,
                signal INTEGER NOT NULL,
                dimension TEXT NOT NULL,
                state INTEGER NOT NULL,
                severity INTEGER NOT NULL,
                peak_score REAL NOT NULL,
                peak_observed REAL NOT NULL,
                peak_expected REAL NOT NULL,
                last_observed REAL NOT NULL,
                detection_count INTEGER NOT NULL,
                explanation TEXT NOT NULL,
                top_terms TEXT NOT NULL,
                sample_mention_ids TEXT NOT NULL,
                opened_at INTEGER NOT NULL,
                last_seen_at INTEGER NOT NULL,
                first_bucket INTEGER NOT NULL,
                last_bucket INTEGER NOT NULL,
                acknowledged_at INTEGER,
                acknowledged_by TEXT,
                resolved_at INTEGER,
                resolved_by TEXT,
                resolve_reason TEXT,
                snoozed_until INTEGER,
                severity_at_snooze INTEGER,
                escalation_level INTEGER NOT NULL,
                escalation_from INTEGER NOT NULL,
                rule_ids TEXT NOT NULL,
                notified TEXT NOT NULL,
                incident_id TEXT,
                promoted_at INTEGER,
                promoted_by TEXT,
                version INTEGER NOT NULL);
            -- One active (open or acknowledged: state 1, 2) alert per episode; resolved ones (3) are history.
            CREATE UNIQUE INDEX ux_alerts_active_episode ON alerts(workspace_id, topic_id, signal, dimension) WHERE state <> 3;
            CREATE INDEX ix_alerts_workspace ON alerts(workspace_id, id);
            CREATE INDEX ix_alerts_active ON alerts(id) WHERE state <> 3;

            CREATE TABLE alert_events (
                id INTEGER PRIMARY KEY,
                alert_id INTEGER NOT NULL,
                workspace_id INTEGER NOT NULL,
                at INTEGER NOT NULL,
                kind INTEGER NOT NULL,
                actor TEXT,
                detail TEXT NOT NULL,
                severity INTEGER NOT NULL,
                channel INTEGER,
                recipient TEXT);
            CREATE INDEX ix_alert_events ON alert_events(workspace_id, alert_id, id);

            -- The outbox: state 1 pending, 2 delivered, 3 dead (the dead-letter list).
            CREATE TABLE alert_deliveries (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                alert_id INTEGER NOT NULL,
                channel INTEGER NOT NULL,
                target_id INTEGER,
                recipient TEXT,
                recipient_name TEXT,
                notification TEXT NOT NULL,
                state INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                claimed_until INTEGER,
                last_error TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                delivered_at INTEGER);
            CREATE INDEX ix_alert_deliveries_due ON alert_deliveries(next_attempt_at, id) WHERE state = 1;
            CREATE INDEX ix_alert_deliveries_alert ON alert_deliveries(workspace_id, alert_id, id);
            CREATE INDEX ix_alert_deliveries_dead ON alert_deliveries(workspace_id, id) WHERE state = 3;
            """),
        (4, "accounts", """
            -- People who sign in. email is stored folded (lower case). security_stamp changes on password change,
            -- lockout, two-factor change and removal: sessions carrying the old stamp end.
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                password_hash TEXT,
                security_stamp TEXT NOT NULL,
                instance_admin INTEGER NOT NULL,
                totp_secret TEXT,
                totp_pending TEXT,
                totp_last_step INTEGER,
                failed_signins INTEGER NOT NULL,
                locked_until INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);

            CREATE TABLE account_recovery_codes (
                account_id INTEGER NOT NULL,
                code_hash TEXT NOT NULL,
                used_at INTEGER,
                PRIMARY KEY (account_id, code_hash));

            -- role: 1 Viewer … 5 Owner (WorkspaceRole).
            CREATE TABLE memberships (
                workspace_id INTEGER NOT NULL,
                account_id INTEGER NOT NULL,
                role INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, account_id));
            CREATE INDEX ix_memberships_account ON memberships(account_id);

            -- Personal API tokens: only the SHA-256 of the secret is kept, plus its first characters for display.
            CREATE TABLE api_tokens (
                id INTEGER PRIMARY KEY,
                account_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                prefix TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                scopes INTEGER NOT NULL,
                workspace_id INTEGER,
                expires_at INTEGER,
                created_at INTEGER NOT NULL,
                last_used_at INTEGER,
                revoked_at INTEGER);
            CREATE INDEX ix_api_tokens_account ON api_tokens(account_id, id);

            CREATE TABLE account_invitations (
                token_hash TEXT PRIMARY KEY,
                account_id INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                used_at INTEGER);

            CREATE TABLE workspace_security (
                workspace_id INTEGER PRIMARY KEY,
                require_two_factor INTEGER NOT NULL);

            -- Append-only, hash-chained (see AuditChain): hash = HMAC(key, previous hash ‖ canonical entry).
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                actor_id INTEGER,
                actor_name TEXT NOT NULL,
                workspace_id INTEGER,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                detail TEXT NOT NULL,
                client_ip TEXT,
                hash TEXT NOT NULL);
            CREATE INDEX ix_audit_workspace ON audit_log(workspace_id, seq);
            """),
        (5, "wellbeing", """
            -- Per person, per workspace, per UTC day (DateOnly.DayNumber): what they chose to see and for how long.
            CREATE TABLE exposure_days (
                account_id INTEGER NOT NULL,
                workspace_id INTEGER NOT NULL,
                day INTEGER NOT NULL,
                hostile_seen INTEGER NOT NULL,
                active_seconds INTEGER NOT NULL,
                PRIMARY KEY (account_id, workspace_id, day)) WITHOUT ROWID;
            CREATE INDEX ix_exposure_days_team ON exposure_days(workspace_id, day);

            CREATE TABLE exposure_budgets (
                workspace_id INTEGER PRIMARY KEY,
                hostile_items INTEGER NOT NULL,
                minutes INTEGER NOT NULL);

            CREATE TABLE muted_authors (
                workspace_id INTEGER NOT NULL,
                platform TEXT NOT NULL,
                handle TEXT NOT NULL,
                muted_by TEXT,
                muted_at INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, platform, handle)) WITHOUT ROWID;
            """),
        (6, "incidents", """
            -- The crisis room. Lists (topic ids, platforms, alert ids) are JSON text read and written whole.
            -- severity 1 (SEV1, worst) … 4; status 1 active, 2 stable, 3 resolved (IncidentStatus).
            CREATE TABLE incidents (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                title TEXT NOT NULL,
                type TEXT NOT NULL,
                severity INTEGER NOT NULL,
                status INTEGER NOT NULL,
                topic_ids TEXT NOT NULL,
                platforms TEXT NOT NULL,
                alert_ids TEXT NOT NULL,
                declared_by_id INTEGER,
                declared_by TEXT NOT NULL,
                declared_at INTEGER NOT NULL,
                resolved_at INTEGER,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL);
            CREATE INDEX ix_incidents_workspace ON incidents(workspace_id, status, id);

            -- role by name (lead, spokesperson, …); the lead seat holds one person.
            CREATE TABLE incident_roles (
                incident_id INTEGER NOT NULL,
                role TEXT NOT NULL,
                account_id INTEGER NOT NULL,
                assigned_at INTEGER NOT NULL,
                PRIMARY KEY (incident_id, role, account_id)) WITHOUT ROWID;
            CREATE UNIQUE INDEX ux_incident_roles_lead ON incident_roles(incident_id) WHERE role = 'lead';

            -- Append-only: the store never updates or deletes a row; the id is the order.
            CREATE TABLE incident_timeline (
                id INTEGER PRIMARY KEY,
                incident_id INTEGER NOT NULL,
                at INTEGER NOT NULL,
                actor_id INTEGER,
                actor_name TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL,
                data TEXT);
            CREATE INDEX ix_incident_timeline ON incident_timeline(incident_id, id);

            -- state 1 open, 2 done; version: optimistic concurrency for updates.
            CREATE TABLE incident_tasks (
                id INTEGER PRIMARY KEY,
                incident_id INTEGER NOT NULL,
                title TEXT NOT NULL,
                owner_id INTEGER,
                due_at INTEGER,
                state INTEGER NOT NULL,
                step_id TEXT,
                created_at INTEGER NOT NULL,
                done_at INTEGER,
                done_by TEXT,
                version INTEGER NOT NULL);
            CREATE INDEX ix_incident_tasks ON incident_tasks(incident_id, id);
            """),
        (7, "playbooks", """
            -- Append-only versions of a workspace's playbooks (the YAML as saved, comments kept). Shipped playbooks are
            -- not stored: a workspace reads them through until it saves its own version.
            CREATE TABLE playbook_versions (
                workspace_id INTEGER NOT NULL,
                key TEXT NOT NULL,
                version INTEGER NOT NULL,
                yaml TEXT NOT NULL,
                saved_by TEXT NOT NULL,
                saved_at INTEGER NOT NULL,
                note TEXT,
                PRIMARY KEY (workspace_id, key, version)) WITHOUT ROWID;
            """),
        (8, "reviews", """
            -- Post-incident reviews: the text people write, one row per incident. The figures are computed on read.
            CREATE TABLE incident_reviews (
                incident_id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                went_well TEXT NOT NULL,
                went_badly TEXT NOT NULL,
                action_items TEXT NOT NULL,
                playbook_changes TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at INTEGER NOT NULL);
            """),
        (9, "inbox", """
            -- The incident inbox. One claim row per mention: the primary key is the "one active claim" rule, and taking
            -- an expired claim is an upsert guarded on expires_at, so a race has one winner.
            CREATE TABLE inbox_claims (
                workspace_id INTEGER NOT NULL,
                mention_id INTEGER NOT NULL,
                incident_id INTEGER NOT NULL,
                account_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                claimed_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, mention_id)) WITHOUT ROWID;

            CREATE TABLE reply_templates (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                language TEXT NOT NULL,
                text TEXT NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE UNIQUE INDEX ux_reply_templates ON reply_templates(workspace_id, name, language);

            -- The replies outbox; state 1 pending approval, 2 queued, 3 sent, 4 failed (ReplyState).
            CREATE TABLE inbox_replies (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                incident_id INTEGER NOT NULL,
                mention_id INTEGER NOT NULL,
                platform TEXT NOT NULL,
                text TEXT NOT NULL,
                template_id INTEGER,
                author_id INTEGER,
                author_name TEXT NOT NULL,
                needs_approval INTEGER NOT NULL,
                approved_by_id INTEGER,
                approved_by TEXT,
                approved_at INTEGER,
                state INTEGER NOT NULL,
                error TEXT,
                attempts INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE INDEX ix_inbox_replies_incident ON inbox_replies(workspace_id, incident_id, id);
            CREATE INDEX ix_inbox_replies_state ON inbox_replies(state, id);

            CREATE TABLE inbox_targets (
                workspace_id INTEGER PRIMARY KEY,
                high_risk_minutes INTEGER NOT NULL,
                other_minutes INTEGER NOT NULL);
            """),
        (10, "drills", """
            -- Drills: a playbook rehearsed against a simulated stream in a sandbox workspace. sandbox_id is unique: it is how
            -- replies and publishing know a workspace is a sandbox (nothing is sent from one). state 1 running, 2 ended.
            CREATE TABLE drills (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                sandbox_id INTEGER NOT NULL UNIQUE,
                number INTEGER NOT NULL,
                playbook_key TEXT NOT NULL,
                scenario TEXT NOT NULL,
                speed REAL NOT NULL,
                rate_per_minute REAL NOT NULL,
                minutes INTEGER NOT NULL,
                state INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                burst_at INTEGER NOT NULL,
                stream_ends_at INTEGER NOT NULL,
                ended_at INTEGER,
                started_by_id INTEGER,
                started_by TEXT NOT NULL,
                injects TEXT NOT NULL,
                score TEXT);
            CREATE UNIQUE INDEX ux_drills_number ON drills(workspace_id, number);
            """),
        (11, "posts", """
            -- Publishing: planned posts (state 1 draft .. 8 blocked, PostState), the UTC instant plus the author's zone and wall
            -- time (so a daylight-saving edge stays what the author chose), media/links/approvals as JSON. version guards edits.
            CREATE TABLE posts (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                platform TEXT NOT NULL,
                account_key TEXT NOT NULL,
                text TEXT NOT NULL,
                media TEXT NOT NULL,
                links TEXT NOT NULL,
                campaign TEXT,
                scheduled_at INTEGER,
                time_zone TEXT,
                local_time TEXT,
                state INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                version INTEGER NOT NULL,
                author_id INTEGER,
                author_name TEXT NOT NULL,
                approvals TEXT NOT NULL,
                note TEXT,
                remote_url TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                deleted_at INTEGER);
            CREATE INDEX ix_posts_schedule ON posts(workspace_id, scheduled_at) WHERE deleted_at IS NULL;

            -- A post's append-only history (comments included); kept when the post is deleted.
            CREATE TABLE post_events (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                post_id INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                at INTEGER NOT NULL,
                actor_id INTEGER,
                actor_name TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL);
            CREATE INDEX ix_post_events_post ON post_events(workspace_id, post_id, id);

            CREATE TABLE post_workflows (
                workspace_id INTEGER PRIMARY KEY,
                steps TEXT NOT NULL);

            CREATE TABLE sensitive_terms (
                workspace_id INTEGER NOT NULL,
                term TEXT NOT NULL,
                level INTEGER NOT NULL,
                note TEXT,
                PRIMARY KEY (workspace_id, term)) WITHOUT ROWID;
            """),
        (12, "publishing outbox", """
            -- The durable publishing outbox (docs/publishing-outbox.md): one item per (workspace, post); state 1 scheduled,
            -- 2 sending (recorded before the platform is called), 3 sent, 4 failed, 5 returned for review, 6 blocked.
            CREATE TABLE publish_outbox (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                post_id INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                platform TEXT NOT NULL,
                account_key TEXT NOT NULL,
                text TEXT NOT NULL,
                media_urls TEXT NOT NULL,
                due_at INTEGER NOT NULL,
                campaign TEXT,
                state INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL,
                last_error TEXT,
                remote_id TEXT,
                remote_url TEXT,
                lease_owner TEXT,
                lease_until INTEGER,
                sending_since INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE UNIQUE INDEX ux_publish_outbox_post ON publish_outbox(workspace_id, post_id);
            CREATE INDEX ix_publish_outbox_due ON publish_outbox(state, next_attempt_at);
            CREATE INDEX ix_publish_outbox_remote ON publish_outbox(workspace_id, platform, remote_id);

            -- The pause switch: scope 0 workspace, 1 platform (target = its name), 2 campaign. Active while released_at is null.
            CREATE TABLE publish_holds (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                scope INTEGER NOT NULL,
                target TEXT,
                event_mode INTEGER NOT NULL,
                reason TEXT NOT NULL,
                by_account_id INTEGER,
                by_name TEXT NOT NULL,
                since INTEGER NOT NULL,
                released_at INTEGER,
                released_by TEXT);
            CREATE INDEX ix_publish_holds_active ON publish_holds(workspace_id, released_at);

            CREATE TABLE publish_heartbeats (node TEXT PRIMARY KEY, beat_at INTEGER NOT NULL) WITHOUT ROWID;

            -- The rogue-post alarm's checkpoint per owned account, and posts a person marked "posted by us elsewhere".
            CREATE TABLE publish_readback (
                workspace_id INTEGER NOT NULL,
                account_key TEXT NOT NULL,
                checkpoint TEXT NOT NULL,
                checked_at INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, account_key)) WITHOUT ROWID;
            CREATE TABLE publish_allowed_posts (
                workspace_id INTEGER NOT NULL,
                platform TEXT NOT NULL,
                remote_id TEXT NOT NULL,
                note TEXT NOT NULL,
                by_name TEXT NOT NULL,
                at INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, platform, remote_id)) WITHOUT ROWID;
            """),
        (13, "connectors: connections (credentials encrypted), checkpoints, health", """
            -- Owned accounts; secret and refresh_secret hold ISecretProtector ciphertext only. state: 1 active, 2 revoked, 3 expired (ConnectionState).
            CREATE TABLE connector_connections (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                platform TEXT NOT NULL,
                account_key TEXT NOT NULL,
                handle TEXT NOT NULL,
                base_uri TEXT NOT NULL,
                secret TEXT NOT NULL,
                refresh_secret TEXT,
                expires_at INTEGER,
                state INTEGER NOT NULL,
                last_error TEXT,
                expiry_warned_at INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (workspace_id, account_key));

            -- Where each source's connector left off; written only after the page it ends was committed.
            CREATE TABLE connector_checkpoints (
                workspace_id INTEGER NOT NULL,
                source_id INTEGER NOT NULL,
                checkpoint TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, source_id));

            CREATE TABLE connector_health (
                workspace_id INTEGER NOT NULL,
                source_id INTEGER NOT NULL,
                platform TEXT NOT NULL,
                last_success_at INTEGER,
                last_error_at INTEGER,
                last_error TEXT,
                error_rate REAL NOT NULL,
                newest_item_at INTEGER,
                items_total INTEGER NOT NULL,
                items_per_minute REAL NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, source_id));

            -- What the platform answered for a sent inbox reply (the inbox keeps the state; this keeps the remote id).
            CREATE TABLE connector_reply_sends (
                workspace_id INTEGER NOT NULL,
                reply_id INTEGER NOT NULL,
                remote_id TEXT NOT NULL,
                remote_url TEXT,
                sent_at INTEGER NOT NULL,
                PRIMARY KEY (workspace_id, reply_id));
            """),
        (14, "platform scorecards: goals and policy events", """
            -- Publishing scorecards: the targets a team sets per platform (metric 1 engagement rate %, 2 posts per week,
            -- 3 follower growth %) and what platforms did that no API reports (severity 1 low .. 4 critical).
            CREATE TABLE scorecard_goals (
                workspace_id INTEGER NOT NULL,
                platform text NOT NULL,
                metric integer NOT NULL,
                target REAL NOT NULL,
                PRIMARY KEY (workspace_id, platform, metric));

            CREATE TABLE scorecard_policy_events (
                id INTEGER PRIMARY KEY,
                workspace_id INTEGER NOT NULL,
                platform text NOT NULL,
                account_key text,
                severity integer NOT NULL,
                title text NOT NULL,
                at INTEGER NOT NULL,
                by_name text NOT NULL);
            CREATE INDEX ix_scorecard_policy_events ON scorecard_policy_events(workspace_id, at);
            """),
        (15, "connectors: refresh-token expiry and its warning", """
            -- When an OAuth refresh token itself expires (LinkedIn, TikTok, Pinterest say so), and when admins were warned.
            ALTER TABLE connector_connections ADD COLUMN refresh_expires_at INTEGER;
            ALTER TABLE connector_connections ADD COLUMN refresh_warned_at INTEGER;
            """),
    ];
}
