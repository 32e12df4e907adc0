"""Numbered, append-only schema migrations, applied every time a store opens.

Never edit a migration that has shipped: add the next one. Each runs in a
transaction together with the row that records it (sqlite-utils Migrations).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("beachhead")


@migrations(name="m001_core")
def m001_core(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE communities (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            locator TEXT NOT NULL,
            name TEXT,
            updated_at TEXT
        );

        CREATE TABLE members (
            id INTEGER PRIMARY KEY,
            community_id TEXT NOT NULL,
            native_id TEXT NOT NULL,
            handle TEXT NOT NULL,
            display_name TEXT,
            location TEXT,
            profile_url TEXT,
            website TEXT,
            about TEXT,
            is_staff INTEGER NOT NULL DEFAULT 0,
            is_moderator INTEGER NOT NULL DEFAULT 0,
            trust_level INTEGER,
            reputation INTEGER,
            joined_at TEXT,
            raw_json TEXT,
            first_seen_at TEXT,
            updated_at TEXT,
            UNIQUE (community_id, native_id)
        );
        CREATE INDEX members_handle ON members (community_id, handle);

        CREATE TABLE threads (
            id INTEGER PRIMARY KEY,
            community_id TEXT NOT NULL,
            native_id TEXT NOT NULL,
            title TEXT NOT NULL,
            url TEXT,
            author TEXT,
            created_at TEXT NOT NULL,
            last_activity_at TEXT,
            body_text TEXT NOT NULL DEFAULT '',
            body_markup TEXT,
            markup_format TEXT NOT NULL DEFAULT 'text',
            tags_json TEXT NOT NULL DEFAULT '[]',
            score INTEGER,
            reply_count INTEGER,
            is_solved INTEGER NOT NULL DEFAULT 0,
            accepted_post_native_id TEXT,
            author_is_staff INTEGER NOT NULL DEFAULT 0,
            raw_json TEXT,
            content_hash TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (community_id, native_id)
        );
        CREATE INDEX threads_created ON threads (created_at);
        CREATE INDEX threads_community_created ON threads (community_id, created_at);

        CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            community_id TEXT NOT NULL,
            native_id TEXT NOT NULL,
            thread_native_id TEXT NOT NULL,
            thread_id INTEGER REFERENCES threads (id),
            parent_native_id TEXT,
            author TEXT,
            created_at TEXT NOT NULL,
            body_text TEXT NOT NULL DEFAULT '',
            body_markup TEXT,
            markup_format TEXT NOT NULL DEFAULT 'text',
            score INTEGER,
            is_accepted INTEGER NOT NULL DEFAULT 0,
            author_is_staff INTEGER NOT NULL DEFAULT 0,
            position INTEGER,
            url TEXT,
            raw_json TEXT,
            content_hash TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (community_id, native_id)
        );
        CREATE INDEX posts_thread ON posts (thread_id);
        CREATE INDEX posts_thread_native ON posts (community_id, thread_native_id);
        CREATE INDEX posts_author ON posts (community_id, author);

        CREATE TABLE classifications (
            thread_id INTEGER PRIMARY KEY REFERENCES threads (id),
            is_problem INTEGER NOT NULL,
            problem_probability REAL NOT NULL,
            kind TEXT NOT NULL,
            capability_id TEXT,
            capability_score REAL NOT NULL,
            asker_type TEXT NOT NULL,
            asker_value REAL NOT NULL,
            category TEXT NOT NULL,
            category_probabilities_json TEXT NOT NULL,
            margin REAL NOT NULL,
            language TEXT,
            signals_json TEXT NOT NULL,
            reasons_json TEXT NOT NULL,
            model_version TEXT NOT NULL,
            classified_at TEXT NOT NULL,
            priority REAL,
            priority_components_json TEXT,
            why TEXT,
            scored_at TEXT
        );
        CREATE INDEX classifications_category ON classifications (category);

        CREATE TABLE problem_clusters (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            state_json TEXT NOT NULL,
            thread_count INTEGER NOT NULL DEFAULT 0,
            affected_members INTEGER NOT NULL DEFAULT 0,
            countries_json TEXT NOT NULL DEFAULT '[]',
            languages_json TEXT NOT NULL DEFAULT '[]',
            communities_json TEXT NOT NULL DEFAULT '[]',
            first_seen_at TEXT,
            last_seen_at TEXT,
            growth REAL NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE thread_clusters (
            thread_id INTEGER PRIMARY KEY REFERENCES threads (id),
            cluster_id INTEGER NOT NULL REFERENCES problem_clusters (id),
            similarity REAL NOT NULL,
            assigned_at TEXT NOT NULL
        );
        CREATE INDEX thread_clusters_cluster ON thread_clusters (cluster_id);

        CREATE TABLE queue_items (
            id INTEGER PRIMARY KEY,
            thread_id INTEGER NOT NULL UNIQUE REFERENCES threads (id),
            community_id TEXT NOT NULL,
            state TEXT NOT NULL,
            priority REAL NOT NULL,
            components_json TEXT NOT NULL,
            why TEXT NOT NULL,
            answer_by TEXT NOT NULL,
            claimed_by TEXT,
            claimed_at TEXT,
            answered_url TEXT,
            answered_by TEXT,
            answered_at TEXT,
            dismissed_reason TEXT,
            snoozed_until TEXT,
            discord_message_id TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX queue_state_priority ON queue_items (state, priority DESC);
        CREATE INDEX queue_community_state ON queue_items (community_id, state);

        CREATE TABLE queue_events (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES queue_items (id),
            at TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT NOT NULL,
            actor TEXT,
            detail TEXT
        );
        CREATE INDEX queue_events_item ON queue_events (item_id);

        CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            thread_id INTEGER REFERENCES threads (id),
            member_id INTEGER REFERENCES members (id),
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            source TEXT NOT NULL,
            author TEXT,
            note TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX labels_thread ON labels (thread_id, kind);

        CREATE TABLE fetch_cursors (
            community_id TEXT NOT NULL,
            stream TEXT NOT NULL,
            cursor_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (community_id, stream)
        );

        CREATE TABLE contributions (
            id INTEGER PRIMARY KEY,
            founder TEXT NOT NULL,
            community_id TEXT NOT NULL,
            post_id INTEGER REFERENCES posts (id),
            thread_id INTEGER REFERENCES threads (id),
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            url TEXT,
            UNIQUE (founder, community_id, post_id)
        );

        CREATE TABLE credibility_snapshots (
            id INTEGER PRIMARY KEY,
            founder TEXT NOT NULL,
            community_id TEXT NOT NULL,
            week TEXT NOT NULL,
            score REAL NOT NULL,
            components_json TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            UNIQUE (founder, community_id, week)
        );

        CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            thread_id INTEGER REFERENCES threads (id),
            community_id TEXT,
            cluster_id INTEGER REFERENCES problem_clusters (id),
            member TEXT NOT NULL,
            stage TEXT NOT NULL,
            value REAL NOT NULL DEFAULT 0,
            country TEXT,
            note TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )
    db["threads"].enable_fts(["title", "body_text"], create_triggers=True, tokenize="unicode61")


@migrations(name="m002_member_judgement")
def m002_member_judgement(db: Database) -> None:
    """What Beachhead concludes about a member (type, value, where they are),
    and cross-community links that can be undone."""
    db.executescript(
        """
        ALTER TABLE members ADD COLUMN user_type TEXT;
        ALTER TABLE members ADD COLUMN user_value REAL;
        ALTER TABLE members ADD COLUMN country TEXT;
        ALTER TABLE members ADD COLUMN country_confidence REAL;
        ALTER TABLE members ADD COLUMN language TEXT;
        ALTER TABLE members ADD COLUMN voice REAL;
        ALTER TABLE members ADD COLUMN judgement_json TEXT;
        ALTER TABLE members ADD COLUMN judged_at TEXT;

        CREATE TABLE member_links (
            id INTEGER PRIMARY KEY,
            member_a INTEGER NOT NULL REFERENCES members (id),
            member_b INTEGER NOT NULL REFERENCES members (id),
            reason TEXT NOT NULL,
            confidence REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'linked',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (member_a, member_b)
        );
        """
    )


@migrations(name="m003_discord_rendered")
def m003_discord_rendered(db: Database) -> None:
    """The ``updated_at`` of a queue item its Discord post last showed: a post
    whose value differs is stale and the bot edits it (states changed from the
    CLI, expiries, or while Discord was unreachable)."""
    db.execute("ALTER TABLE queue_items ADD COLUMN discord_rendered_at TEXT")


@migrations(name="m004_discord_rendered_event")
def m004_discord_rendered_event(db: Database) -> None:
    """A post's version is the id of the item's last queue event, not its
    ``updated_at``: two changes within one second (or under a pinned clock)
    share a timestamp but never an event id."""
    db.execute(
        "ALTER TABLE queue_items RENAME COLUMN discord_rendered_at TO discord_rendered_event"
    )


@migrations(name="m005_group_assignments")
def m005_group_assignments(db: Database) -> None:
    """Who a thread's group already counts, and why the thread joined it."""
    db.executescript(
        """
        ALTER TABLE thread_clusters ADD COLUMN affected_json TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE thread_clusters ADD COLUMN reasons_json TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX member_links_a ON member_links (member_a, state);
        CREATE INDEX member_links_b ON member_links (member_b, state);
        """
    )


@migrations(name="m006_scale")
def m006_scale(db: Database) -> None:
    """What keeps a watcher pass as cheap at a million threads as at a
    thousand: the keys members are compared on for cross-community links, so
    a pass reads only its own members' candidates (``links.propose``); when
    each member last changed; and each member's threads and posts by date,
    so judging a member reads their latest activity from an index instead of
    scanning the community (``members._activity``)."""
    db.executescript(
        """
        CREATE TABLE member_link_keys (
            key TEXT NOT NULL,
            member_id INTEGER NOT NULL REFERENCES members (id),
            PRIMARY KEY (key, member_id)
        ) WITHOUT ROWID;
        CREATE INDEX member_link_keys_member ON member_link_keys (member_id);
        CREATE INDEX members_updated ON members (updated_at);
        CREATE INDEX threads_author ON threads (community_id, author, created_at);
        CREATE INDEX posts_author_activity ON posts (community_id, author, created_at, is_accepted);
        """
    )


@migrations(name="m007_queries")
def m007_queries(db: Database) -> None:
    """What keeps the founders' queries cheap as history grows: a version per
    community, bumped by triggers whenever its threads, posts or their
    judgements change, so a community's members' voice (a computation over
    its whole reply graph) is kept in ``voice_cache`` and reused until the
    community changes (``experts.cached_voice``)."""
    statements = [
        "CREATE TABLE data_versions (community_id TEXT PRIMARY KEY, "
        "version INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE voice_cache (community_id TEXT PRIMARY KEY, method TEXT NOT NULL, "
        "version INTEGER NOT NULL, voices_json TEXT NOT NULL, computed_at TEXT NOT NULL)",
    ]
    bump = ("INSERT INTO data_versions (community_id, version) VALUES ({0}, 1) "
            "ON CONFLICT (community_id) DO UPDATE SET version = version + 1;")
    read = {  # the columns voice is computed from (``experts.contributions``, ``activity``)
        "threads": "community_id, native_id, author, score, is_solved, accepted_post_native_id",
        "posts": "community_id, thread_id, native_id, parent_native_id, author, created_at, "
                 "body_text, score, is_accepted, position",
    }
    for table, columns in read.items():
        for event, rows in (("INSERT", ("NEW",)), (f"UPDATE OF {columns}", ("OLD", "NEW")),
                            ("DELETE", ("OLD",))):
            body = " ".join(bump.format(f"{row}.community_id") for row in rows)
            name = event.split()[0].lower()
            statements.append(f"CREATE TRIGGER {table}_{name}_version AFTER {event} ON "
                              f"{table} BEGIN {body} END")
    for event, row in (("INSERT", "NEW"), ("UPDATE OF thread_id, signals_json", "NEW"),
                       ("DELETE", "OLD")):
        of_thread = f"(SELECT community_id FROM threads WHERE id = {row}.thread_id)"
        statements.append(
            f"CREATE TRIGGER classifications_{event.split()[0].lower()}_version AFTER {event} ON "
            f"classifications WHEN {of_thread} IS NOT NULL BEGIN {bump.format(of_thread)} END")
    for statement in statements:
        db.execute(statement)


@migrations(name="m009_grouping")
def m009_grouping(db: Database) -> None:
    """What keeps grouping's cost flat as history grows: each member's first
    and last report per group (``grouping.refresh`` reads only the members
    active in the lookback window, not every thread of a long-lived group),
    filled from the groups already stored; groups by their last thread (the
    index loads only the groups active within the window)."""
    db.executescript(
        """
        CREATE TABLE cluster_people (
            cluster_id INTEGER NOT NULL,
            member_id INTEGER NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            PRIMARY KEY (cluster_id, member_id)
        ) WITHOUT ROWID;
        CREATE INDEX cluster_people_recent ON cluster_people (cluster_id, last_at, member_id, first_at);
        CREATE INDEX problem_clusters_last_seen ON problem_clusters (last_seen_at);
        INSERT INTO cluster_people (cluster_id, member_id, first_at, last_at)
        SELECT cluster_id, member_id, min(created_at), max(created_at) FROM (
            SELECT tc.cluster_id, m.id AS member_id, t.created_at
            FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id
            JOIN members m ON m.community_id = t.community_id AND m.native_id = t.author
            UNION ALL
            SELECT tc.cluster_id, m.id, t.created_at
            FROM thread_clusters tc JOIN threads t ON t.id = tc.thread_id
            JOIN classifications c ON c.thread_id = t.id
            CROSS JOIN json_each(c.signals_json, '$.me_too') AS me_too
            CROSS JOIN members m  -- in this order: each name looked up, not each member scanned
            WHERE m.community_id = t.community_id AND m.native_id = me_too.value
        ) GROUP BY cluster_id, member_id;
        """
    )


@migrations(name="m010_insights")
def m010_insights(db: Database) -> None:
    """What keeps the founders' queries independent of history.

    - ``pervasive_clusters``: per group, how many of its threads are judged
      ``pervasive_solvable``, kept by triggers as threads join groups and
      their category changes, so ``/problems`` finds the pervasive groups
      without reading threads;
    - ``member_voice``: each member's voice per community, ranked (index on
      community and rank), replacing the JSON of every member in
      ``voice_cache`` (which keeps the version, when it was computed and how
      many members have any voice), so ``/credibility`` reads the founders'
      rows and the top of the ranking only;
    - ``members_type``: a community's members by user type (its experts);
    - groups by affected members and by the span of their threads."""
    statements = [
        "CREATE TABLE pervasive_clusters (cluster_id INTEGER PRIMARY KEY, "
        "threads INTEGER NOT NULL DEFAULT 0)",
        "INSERT INTO pervasive_clusters (cluster_id, threads) SELECT tc.cluster_id, count(*) "
        "FROM thread_clusters tc JOIN classifications c ON c.thread_id = tc.thread_id "
        "WHERE c.category = 'pervasive_solvable' GROUP BY tc.cluster_id",
        "CREATE TABLE member_voice (community_id TEXT NOT NULL, handle TEXT NOT NULL, "
        "rank INTEGER, answers INTEGER NOT NULL, helped INTEGER NOT NULL, "
        "solutions INTEGER NOT NULL, score INTEGER NOT NULL, voice_raw REAL NOT NULL, "
        "voice REAL NOT NULL, PRIMARY KEY (community_id, handle)) WITHOUT ROWID",
        "CREATE INDEX member_voice_rank ON member_voice (community_id, rank)",
        "ALTER TABLE voice_cache ADD COLUMN ranked INTEGER NOT NULL DEFAULT 0",
        # The voices already cached move to the table, ranked as experts.ranking does.
        "INSERT INTO member_voice (community_id, handle, rank, answers, helped, solutions, score, "
        "voice_raw, voice) SELECT community_id, handle, CASE WHEN voice > 0 THEN row_number() "
        "OVER (PARTITION BY community_id, voice > 0 ORDER BY voice DESC, handle) END, answers, "
        "helped, solutions, score, voice_raw, voice FROM (SELECT v.community_id, "
        "json_extract(j.value, '$.handle') AS handle, json_extract(j.value, '$.answers') AS answers, "
        "json_extract(j.value, '$.helped') AS helped, "
        "json_extract(j.value, '$.solutions') AS solutions, json_extract(j.value, '$.score') AS score, "
        "json_extract(j.value, '$.voice_raw') AS voice_raw, json_extract(j.value, '$.voice') AS voice "
        "FROM voice_cache v, json_each(v.voices_json) j)",
        "UPDATE voice_cache SET voices_json = '[]', ranked = (SELECT count(*) FROM member_voice m "
        "WHERE m.community_id = voice_cache.community_id AND m.rank IS NOT NULL)",
        "CREATE INDEX members_type ON members (community_id, user_type)",
        # /problems: the groups by affected members (the ranking walks it from
        # the top) and by their span (the count of those inside the window).
        "CREATE INDEX problem_clusters_affected ON problem_clusters "
        "(affected_members, last_seen_at, first_seen_at)",
        "CREATE INDEX problem_clusters_span ON problem_clusters (last_seen_at, first_seen_at)",
    ]
    pervasive = "'pervasive_solvable'"
    add = ("INSERT INTO pervasive_clusters (cluster_id, threads) VALUES ({0}, 1) "
           "ON CONFLICT (cluster_id) DO UPDATE SET threads = threads + 1;")
    remove = "UPDATE pervasive_clusters SET threads = threads - 1 WHERE cluster_id = {0};"
    category_of = "(SELECT category FROM classifications WHERE thread_id = {0}.thread_id)"
    cluster_of = "(SELECT cluster_id FROM thread_clusters WHERE thread_id = NEW.thread_id)"
    statements += [
        f"CREATE TRIGGER thread_clusters_insert_pervasive AFTER INSERT ON thread_clusters "
        f"WHEN {category_of.format('NEW')} = {pervasive} BEGIN {add.format('NEW.cluster_id')} END",
        f"CREATE TRIGGER thread_clusters_update_pervasive AFTER UPDATE OF cluster_id ON "
        f"thread_clusters WHEN OLD.cluster_id != NEW.cluster_id "
        f"AND {category_of.format('NEW')} = {pervasive} "
        f"BEGIN {remove.format('OLD.cluster_id')} {add.format('NEW.cluster_id')} END",
        f"CREATE TRIGGER thread_clusters_delete_pervasive AFTER DELETE ON thread_clusters "
        f"WHEN {category_of.format('OLD')} = {pervasive} BEGIN {remove.format('OLD.cluster_id')} END",
        f"CREATE TRIGGER classifications_insert_pervasive AFTER INSERT ON classifications "
        f"WHEN NEW.category = {pervasive} AND {cluster_of} IS NOT NULL "
        f"BEGIN {add.format(cluster_of)} END",
        f"CREATE TRIGGER classifications_update_pervasive AFTER UPDATE OF category ON "
        f"classifications WHEN (OLD.category = {pervasive}) != (NEW.category = {pervasive}) "
        f"AND {cluster_of} IS NOT NULL BEGIN "
        f"INSERT INTO pervasive_clusters (cluster_id, threads) VALUES ({cluster_of}, "
        f"CASE WHEN NEW.category = {pervasive} THEN 1 ELSE -1 END) ON CONFLICT (cluster_id) "
        f"DO UPDATE SET threads = threads + excluded.threads; END",
        f"CREATE TRIGGER classifications_delete_pervasive AFTER DELETE ON classifications "
        f"WHEN OLD.category = {pervasive} BEGIN "
        f"{remove.format('(SELECT cluster_id FROM thread_clusters WHERE thread_id = OLD.thread_id)')} END",
    ]
    for statement in statements:
        db.execute(statement)


@migrations(name="m011_pervasive_count")
def m011_pervasive_count(db: Database) -> None:
    """/problems counts its candidates from ``pervasive_clusters`` (the
    pervasive groups, far fewer than the groups of the window), each checked
    against the window in this narrow index rather than the group's row."""
    db.execute("CREATE INDEX problem_clusters_id_span ON problem_clusters "
               "(id, last_seen_at, first_seen_at)")


@migrations(name="m012_cluster_threads")
def m012_cluster_threads(db: Database) -> None:
    """/problems reads a shown group's window threads from ``cluster_threads``:
    one narrow row per grouped thread (its group, date, community, author,
    capability and "me too" names), clustered by group and date, so the
    window is one contiguous range of small rows instead of a lookup of each
    thread's (large) row and its classification. Kept by triggers, each one
    write of one row: a thread joining, moving or leaving a group; a
    classification's capability or "me too" names changing; a thread's date
    or author changing."""
    me_too = "json_extract({0}.signals_json, '$.me_too')"
    where_thread = ("cluster_id = (SELECT cluster_id FROM thread_clusters WHERE thread_id = {0}) "
                    "AND thread_id = {0}")
    statements = [
        "CREATE TABLE cluster_threads (cluster_id INTEGER NOT NULL, created_at TEXT NOT NULL, "
        "thread_id INTEGER NOT NULL, community_id TEXT NOT NULL, author TEXT, capability_id TEXT, "
        "me_too TEXT, PRIMARY KEY (cluster_id, created_at, thread_id)) WITHOUT ROWID",
        "INSERT INTO cluster_threads (cluster_id, created_at, thread_id, community_id, author, "
        f"capability_id, me_too) SELECT tc.cluster_id, t.created_at, t.id, t.community_id, t.author, "
        f"c.capability_id, {me_too.format('c')} FROM thread_clusters tc "
        "JOIN threads t ON t.id = tc.thread_id LEFT JOIN classifications c ON c.thread_id = t.id",
        "CREATE TRIGGER thread_clusters_insert_threads AFTER INSERT ON thread_clusters BEGIN "
        "INSERT OR REPLACE INTO cluster_threads (cluster_id, created_at, thread_id, community_id, "
        f"author, capability_id, me_too) SELECT NEW.cluster_id, t.created_at, t.id, t.community_id, "
        f"t.author, c.capability_id, {me_too.format('c')} FROM threads t "
        "LEFT JOIN classifications c ON c.thread_id = t.id WHERE t.id = NEW.thread_id; END",
        "CREATE TRIGGER thread_clusters_update_threads AFTER UPDATE OF cluster_id ON thread_clusters "
        "WHEN OLD.cluster_id != NEW.cluster_id BEGIN "
        "UPDATE cluster_threads SET cluster_id = NEW.cluster_id WHERE cluster_id = OLD.cluster_id "
        "AND created_at = (SELECT created_at FROM threads WHERE id = NEW.thread_id) "
        "AND thread_id = NEW.thread_id; END",
        "CREATE TRIGGER thread_clusters_delete_threads AFTER DELETE ON thread_clusters BEGIN "
        "DELETE FROM cluster_threads WHERE cluster_id = OLD.cluster_id "
        "AND created_at = (SELECT created_at FROM threads WHERE id = OLD.thread_id) "
        "AND thread_id = OLD.thread_id; END",
        "CREATE TRIGGER classifications_insert_threads AFTER INSERT ON classifications BEGIN "
        f"UPDATE cluster_threads SET capability_id = NEW.capability_id, me_too = {me_too.format('NEW')} "
        f"WHERE {where_thread.format('NEW.thread_id')} "
        "AND created_at = (SELECT created_at FROM threads WHERE id = NEW.thread_id); END",
        "CREATE TRIGGER classifications_update_threads AFTER UPDATE OF capability_id, signals_json "
        "ON classifications WHEN OLD.capability_id IS NOT NEW.capability_id "
        "OR OLD.signals_json IS NOT NEW.signals_json BEGIN "
        f"UPDATE cluster_threads SET capability_id = NEW.capability_id, me_too = {me_too.format('NEW')} "
        f"WHERE {where_thread.format('NEW.thread_id')} "
        "AND created_at = (SELECT created_at FROM threads WHERE id = NEW.thread_id); END",
        "CREATE TRIGGER threads_update_cluster_threads AFTER UPDATE OF created_at, author ON threads "
        "WHEN OLD.created_at IS NOT NEW.created_at OR OLD.author IS NOT NEW.author BEGIN "
        "UPDATE cluster_threads SET created_at = NEW.created_at, author = NEW.author "
        f"WHERE {where_thread.format('NEW.id')} AND created_at = OLD.created_at; END",
    ]
    for statement in statements:
        db.execute(statement)


@migrations(name="m013_credibility_parts")
def m013_credibility_parts(db: Database) -> None:
    """/credibility reads each founder thread's share of the components as
    kept steps (``credibility._thread_steps``: the share from a moment until
    the thread's next post comes into view) instead of rescoring the
    founder's whole history on every call. A thread's steps are dropped,
    to be worked out again when next read, whenever what they are read from
    changes: the thread, its posts, its classification's category or its
    queue item. Each trigger is one delete by the primary key's first column."""
    drop = "DELETE FROM credibility_parts WHERE thread_id = {0};"
    either = "DELETE FROM credibility_parts WHERE thread_id IN ({0}, {1});"
    post_columns = ("thread_id, native_id, parent_native_id, author, created_at, body_text, "
                    "body_markup, score, is_accepted, position")
    thread_columns = ("author, created_at, native_id, body_text, body_markup, is_solved, "
                      "accepted_post_native_id")
    triggers = {
        "posts_insert_parts": f"AFTER INSERT ON posts BEGIN {drop.format('NEW.thread_id')}",
        "posts_update_parts": f"AFTER UPDATE OF {post_columns} ON posts BEGIN "
                              f"{either.format('OLD.thread_id', 'NEW.thread_id')}",
        "posts_delete_parts": f"AFTER DELETE ON posts BEGIN {drop.format('OLD.thread_id')}",
        "threads_insert_parts": f"AFTER INSERT ON threads BEGIN {drop.format('NEW.id')}",
        "threads_update_parts": f"AFTER UPDATE OF {thread_columns} ON threads BEGIN "
                                f"{drop.format('NEW.id')}",
        "threads_delete_parts": f"AFTER DELETE ON threads BEGIN {drop.format('OLD.id')}",
        "classifications_insert_parts": "AFTER INSERT ON classifications BEGIN "
                                        f"{drop.format('NEW.thread_id')}",
        "classifications_update_parts": "AFTER UPDATE OF thread_id, category ON classifications "
                                        "WHEN OLD.thread_id IS NOT NEW.thread_id "
                                        "OR OLD.category IS NOT NEW.category BEGIN "
                                        f"{either.format('OLD.thread_id', 'NEW.thread_id')}",
        "classifications_delete_parts": "AFTER DELETE ON classifications BEGIN "
                                        f"{drop.format('OLD.thread_id')}",
        "queue_items_insert_parts": "AFTER INSERT ON queue_items BEGIN "
                                    f"{drop.format('NEW.thread_id')}",
        "queue_items_update_parts": "AFTER UPDATE OF thread_id ON queue_items "
                                    "WHEN OLD.thread_id IS NOT NEW.thread_id BEGIN "
                                    f"{either.format('OLD.thread_id', 'NEW.thread_id')}",
        "queue_items_delete_parts": "AFTER DELETE ON queue_items BEGIN "
                                    f"{drop.format('OLD.thread_id')}",
    }
    db.execute(
        "CREATE TABLE credibility_parts (thread_id INTEGER NOT NULL, handle TEXT NOT NULL, "
        "since INTEGER NOT NULL, stamp TEXT NOT NULL, posts INTEGER NOT NULL, "
        "promo INTEGER NOT NULL, disclosed INTEGER NOT NULL, score INTEGER NOT NULL, "
        "repliers TEXT NOT NULL, wait REAL, worth INTEGER NOT NULL, solved INTEGER NOT NULL, "
        "PRIMARY KEY (thread_id, handle, since)) WITHOUT ROWID")
    for name, body in triggers.items():
        db.execute(f"CREATE TRIGGER {name} {body} END")


@migrations(name="m014_member_activity")
def m014_member_activity(db: Database) -> None:
    """Each member's threads, posts and accepted answers, kept as counters
    on their row, so judging a member reads one row instead of counting a
    history that grows without end (a regular's thousands of posts, pass
    after pass); and how much they had written when last judged
    (``judged_items``) and by which models (``judged_with``), so a watcher
    pass re-judges only members whose activity grew enough to matter.
    Kept by triggers, each one indexed update of one member row: a thread
    or post arriving, leaving, changing author or acceptance, and a member
    row arriving after what they wrote (counted once, from the indexes)."""
    member = "community_id = {0}.community_id AND native_id = {0}.author"
    accepted = "coalesce({0}.is_accepted, 0)"
    # A member's three counters from the author indexes, for the row ``{0}``.
    counted = ("n_threads = (SELECT count(*) FROM threads t WHERE t.community_id = {0}.community_id "
               "AND t.author = {0}.native_id), "
               "n_posts = (SELECT count(*) FROM posts p WHERE p.community_id = {0}.community_id "
               "AND p.author = {0}.native_id), "
               "n_accepted = (SELECT coalesce(sum(coalesce(p.is_accepted, 0)), 0) FROM posts p "
               "WHERE p.community_id = {0}.community_id AND p.author = {0}.native_id)")

    def bump(column: str, sign: str, row: str) -> str:
        extra = f", n_accepted = n_accepted {sign} {accepted.format(row)}" if column == "n_posts" else ""
        return f"UPDATE members SET {column} = {column} {sign} 1{extra} WHERE {member.format(row)};"

    statements = [
        "ALTER TABLE members ADD COLUMN n_threads INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE members ADD COLUMN n_posts INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE members ADD COLUMN n_accepted INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE members ADD COLUMN judged_items INTEGER",
        "ALTER TABLE members ADD COLUMN judged_with TEXT",
        f"UPDATE members SET {counted.format('members')}",
        "CREATE TRIGGER members_insert_activity AFTER INSERT ON members BEGIN "
        f"UPDATE members SET {counted.format('NEW')} WHERE id = NEW.id; END",
    ]
    for table, column, changes in (("threads", "n_threads", "community_id, author"),
                                   ("posts", "n_posts", "community_id, author, is_accepted")):
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in changes.split(", "))
        statements += [
            f"CREATE TRIGGER {table}_insert_activity AFTER INSERT ON {table} BEGIN "
            f"{bump(column, '+', 'NEW')} END",
            f"CREATE TRIGGER {table}_delete_activity AFTER DELETE ON {table} BEGIN "
            f"{bump(column, '-', 'OLD')} END",
            f"CREATE TRIGGER {table}_update_activity AFTER UPDATE OF {changes} ON {table} "
            f"WHEN {changed} BEGIN {bump(column, '-', 'OLD')} {bump(column, '+', 'NEW')} END",
        ]
    for statement in statements:
        db.execute(statement)


@migrations(name="m015_credibility_settled")
def m015_credibility_settled(db: Database) -> None:
    """/credibility adds up the kept steps of a founder's threads; the threads
    whose last step lies before any moment it shows (older than the trend)
    count the same at every one of them, so their final shares are kept
    summed, once per founder and community (``credibility_settled``), and
    their steps marked ``settled``. Reading then costs the recent threads,
    not the founder's whole history. A settled step dropped (its thread
    changed) drops the sum, to be added up again when next read."""
    statements = [
        "ALTER TABLE credibility_parts ADD COLUMN settled INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX credibility_parts_settled ON credibility_parts (handle, settled)",
        "CREATE TABLE credibility_settled (handle TEXT NOT NULL, community_id TEXT NOT NULL, "
        "stamp TEXT NOT NULL, through INTEGER NOT NULL, thread_ids TEXT NOT NULL, "
        "totals TEXT NOT NULL, repliers TEXT NOT NULL, waits TEXT NOT NULL, "
        "PRIMARY KEY (handle, community_id)) WITHOUT ROWID",
        "CREATE TRIGGER credibility_parts_unsettle AFTER DELETE ON credibility_parts "
        "WHEN OLD.settled = 1 BEGIN "
        "DELETE FROM credibility_settled WHERE handle = OLD.handle; "
        "UPDATE credibility_parts SET settled = 0 WHERE handle = OLD.handle AND settled = 1; END",
    ]
    for statement in statements:
        db.execute(statement)


@migrations(name="m016_posts_author_threads")
def m016_posts_author_threads(db: Database) -> None:
    """A founder's history is the threads of their posts: with the thread id
    in the author index, listing them is a walk of the index alone, not a
    lookup of each (large) post row, which at a million threads was most of
    what /credibility spent."""
    db.execute("DROP INDEX IF EXISTS posts_author")
    db.execute("CREATE INDEX posts_author ON posts (community_id, author, thread_id)")


@migrations(name="m017_pervasive_span")
def m017_pervasive_span(db: Database) -> None:
    """/problems counts and ranks the pervasive groups active in the lookback
    window; ``pervasive_clusters`` holds every group that was ever pervasive
    (tens of thousands after years), so it carries what the window and the
    ranking read of its group (first and last thread, affected members,
    countries, growth), with an index of the pervasive ones by those: the
    window is one range of it and the ranking reads the index alone, not
    each group's wide row. Kept by triggers on the group's numbers and on a
    pervasive row arriving."""
    # The group's numbers, copied onto its pervasive row (group id ``{0}``).
    numbers = ("(first_seen_at, last_seen_at, affected_members, countries, growth) = "
               "(SELECT first_seen_at, last_seen_at, affected_members, "
               "json_array_length(countries_json), growth FROM problem_clusters WHERE id = {0})")
    copy = "UPDATE pervasive_clusters SET " + numbers + " WHERE cluster_id = {0};"
    columns = ("first_seen_at", "last_seen_at", "affected_members", "countries", "growth")
    statements = [
        *(f"ALTER TABLE pervasive_clusters ADD COLUMN {column} "
          f"{'TEXT' if column.endswith('_at') else 'INTEGER'}" for column in columns),
        f"UPDATE pervasive_clusters SET {numbers.format('cluster_id')}",
        "CREATE INDEX pervasive_clusters_window ON pervasive_clusters "
        "(last_seen_at, first_seen_at, affected_members, countries, growth) WHERE threads > 0",
        # m011's index served the count this index now answers.
        "DROP INDEX IF EXISTS problem_clusters_id_span",
        "CREATE TRIGGER problem_clusters_numbers_pervasive AFTER UPDATE OF first_seen_at, "
        "last_seen_at, affected_members, countries_json, growth ON problem_clusters "
        f"BEGIN {copy.format('NEW.id')} END",
        f"CREATE TRIGGER problem_clusters_insert_pervasive AFTER INSERT ON problem_clusters BEGIN "
        f"{copy.format('NEW.id')} END",
        "CREATE TRIGGER pervasive_clusters_insert_numbers AFTER INSERT ON pervasive_clusters BEGIN "
        f"{copy.format('NEW.cluster_id')} END",
    ]
    for statement in statements:
        db.execute(statement)


@migrations(name="m018_members_type")
def m018_members_type(db: Database) -> None:
    """Who the experts of a community are (vendor staff and members judged
    experts) is read at every /credibility call: with the handle in the
    index by type (m010's), it is answered from the index alone, not from
    thousands of wide member rows."""
    db.execute("DROP INDEX IF EXISTS members_type")
    db.execute("CREATE INDEX members_type ON members (community_id, user_type, native_id)")
