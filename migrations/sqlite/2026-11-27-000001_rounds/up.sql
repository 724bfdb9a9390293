-- Monitoring rounds and their assessments. A round moves open -> closed -> published; the
-- assessments are its raw answers with their evidence, and are never changed or removed: a
-- later answer supersedes an earlier one, a correction to a published round is a new answer
-- with its reason and the round revision it belongs to.
CREATE TABLE rounds (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    framework TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    scope TEXT NOT NULL,
    state TEXT NOT NULL,
    assessors INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    published_at TEXT,
    version INTEGER NOT NULL
);

CREATE TABLE round_revisions (
    round_code TEXT NOT NULL,
    revision INTEGER NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (round_code, revision)
);

CREATE TABLE assessments (
    round_code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    service_code TEXT NOT NULL,
    channel_code TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    evidence_url TEXT,
    evidence_note TEXT,
    evidence_hash TEXT,
    assessor TEXT NOT NULL,
    assessed_at TEXT NOT NULL,
    source TEXT NOT NULL,
    round_revision INTEGER NOT NULL,
    correction TEXT,
    PRIMARY KEY (round_code, seq)
);
CREATE INDEX assessments_service ON assessments (round_code, service_code);

-- Assessments are evidence: the database itself refuses to change or remove one.
CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only');
END;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only');
END;
