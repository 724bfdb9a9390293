DROP TABLE IF EXISTS assessments;
DROP FUNCTION IF EXISTS assessments_append_only();
DROP TABLE IF EXISTS round_revisions;
DROP TABLE IF EXISTS rounds;
