DROP TRIGGER IF EXISTS assessments_no_delete;
DROP TRIGGER IF EXISTS assessments_no_update;
DROP TABLE IF EXISTS assessments;
DROP TABLE IF EXISTS round_revisions;
DROP TABLE IF EXISTS rounds;
