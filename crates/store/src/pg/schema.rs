//! The journal's table and what the database itself enforces: one row per
//! line, the sequence as primary key (never two entries with one number),
//! each new row exactly one after the last (never a gap), and no UPDATE,
//! DELETE or TRUNCATE, whoever the client.

/// The table; lines are kept as bytes, exactly as a journal file holds them.
pub const TABLE: &str = "runbook_journal";
/// Where appends are announced: the payload is the new head's sequence.
pub const CHANNEL: &str = "runbook_journal";
/// The advisory lock that serialises appenders (`hashtext('runbook_journal')`
/// would do, a constant is plainer).
pub const LOCK: i64 = 0x0072_756e_626f_6f6b;
/// The session locks' class (`runb`): with the key of each below, the
/// two-key advisory locks that hold for the whole journal.
pub const SESSION_LOCKS: i32 = 0x7275_6e62;
/// Held by the process sending the journal's notifications now.
pub const NOTIFY_LOCK: i32 = 1;
/// Held by a running `runbook watch`.
pub const WATCH_LOCK: i32 = 2;

/// The column the server fills with the login that wrote each row.
pub const LOGIN: &str = "db_login";

/// A time of the server's as microseconds since the epoch: read without
/// the driver's time types.
pub fn micros(expr: &str) -> String {
    format!("(extract(epoch from {expr}) * 1000000)::bigint")
}

/// The schema; run again on an existing journal, it upgrades it in place
/// (a table from before `db_login` gains the column: its old rows keep
/// NULL, as no one can tell now who wrote them).
pub const CREATE: &str = r"
CREATE TABLE IF NOT EXISTS runbook_journal (
    seq          bigint      PRIMARY KEY CHECK (seq >= 0),
    hash         text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    line         bytea       NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

ALTER TABLE runbook_journal ADD COLUMN IF NOT EXISTS db_login text;

CREATE OR REPLACE FUNCTION runbook_journal_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the runbook journal is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE FUNCTION runbook_journal_next() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    expected bigint;
BEGIN
    SELECT coalesce(max(seq) + 1, 0) INTO expected FROM runbook_journal;
    IF NEW.seq <> expected THEN
        RAISE EXCEPTION 'runbook journal: entry % is not the next one (%)', NEW.seq, expected
            USING ERRCODE = 'unique_violation';
    END IF;
    -- The server says who wrote the row, whatever a client sent.
    NEW.db_login := session_user;
    NEW.committed_at := clock_timestamp();
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS runbook_journal_no_change ON runbook_journal;
CREATE TRIGGER runbook_journal_no_change
    BEFORE UPDATE OR DELETE ON runbook_journal
    FOR EACH ROW EXECUTE FUNCTION runbook_journal_refuse();

DROP TRIGGER IF EXISTS runbook_journal_no_truncate ON runbook_journal;
CREATE TRIGGER runbook_journal_no_truncate
    BEFORE TRUNCATE ON runbook_journal
    FOR EACH STATEMENT EXECUTE FUNCTION runbook_journal_refuse();

DROP TRIGGER IF EXISTS runbook_journal_contiguous ON runbook_journal;
CREATE TRIGGER runbook_journal_contiguous
    BEFORE INSERT ON runbook_journal
    FOR EACH ROW EXECUTE FUNCTION runbook_journal_next();

REVOKE UPDATE, DELETE, TRUNCATE ON runbook_journal FROM PUBLIC;

-- The index, as beside a file: a cache the readers keep (a checkpoint of
-- the chain, the open runs' entries, one summary per closed run), never
-- the truth; one that does not match the chain is rebuilt.
CREATE TABLE IF NOT EXISTS runbook_index (
    id         smallint    PRIMARY KEY CHECK (id = 1),
    body       bytea       NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Commands' outputs, in parts streamed while they run: append-only like
-- the journal, each part the next of its command, each command one the
-- journal started. The journal's `command_finished` names the SHA-256
-- and size of the whole.
CREATE TABLE IF NOT EXISTS runbook_output (
    started    bigint      NOT NULL REFERENCES runbook_journal (seq),
    part       integer     NOT NULL CHECK (part >= 0),
    chunk      bytea       NOT NULL,
    db_login   text,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (started, part)
);

CREATE OR REPLACE FUNCTION runbook_output_next() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    expected integer;
BEGIN
    SELECT coalesce(max(part) + 1, 0) INTO expected
        FROM runbook_output WHERE started = NEW.started;
    IF NEW.part <> expected THEN
        RAISE EXCEPTION 'runbook output %: part % is not the next one (%)',
            NEW.started, NEW.part, expected
            USING ERRCODE = 'unique_violation';
    END IF;
    NEW.db_login := session_user;
    NEW.written_at := clock_timestamp();
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS runbook_output_no_change ON runbook_output;
CREATE TRIGGER runbook_output_no_change
    BEFORE UPDATE OR DELETE ON runbook_output
    FOR EACH ROW EXECUTE FUNCTION runbook_journal_refuse();

DROP TRIGGER IF EXISTS runbook_output_no_truncate ON runbook_output;
CREATE TRIGGER runbook_output_no_truncate
    BEFORE TRUNCATE ON runbook_output
    FOR EACH STATEMENT EXECUTE FUNCTION runbook_journal_refuse();

DROP TRIGGER IF EXISTS runbook_output_contiguous ON runbook_output;
CREATE TRIGGER runbook_output_contiguous
    BEFORE INSERT ON runbook_output
    FOR EACH ROW EXECUTE FUNCTION runbook_output_next();

REVOKE UPDATE, DELETE, TRUNCATE ON runbook_output FROM PUBLIC;
";

/// The outputs' table.
pub const OUTPUT: &str = "runbook_output";

/// The index's table.
pub const INDEX: &str = "runbook_index";

/// The operators' role may read and append, nothing else.
pub fn grant(role: &str) -> String {
    let quoted = format!("\"{}\"", role.replace('"', "\"\""));
    format!(
        "REVOKE ALL ON {TABLE} FROM {quoted};\nGRANT SELECT, INSERT ON {TABLE} TO {quoted};\n\
         GRANT SELECT, INSERT, UPDATE ON {INDEX} TO {quoted};\n\
         REVOKE ALL ON {OUTPUT} FROM {quoted};\nGRANT SELECT, INSERT ON {OUTPUT} TO {quoted};\n"
    )
}
