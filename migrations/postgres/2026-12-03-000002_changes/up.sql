-- Every change of public data, in the order it was committed: a registry record saved (one row
-- per revision) or a round created, moved to another state, corrected or given its results
-- again. Readers (every `serve`
-- process) ask for the largest `seq` to learn whether anything changed, and for the rows after
-- the one they last saw to learn what, so that they update only what changed. Filled by
-- triggers, so no writer can forget it. Writers take turns on an advisory lock taken first in
-- every write transaction (store::backend), so `seq` grows in the order of commits and a
-- reader that saw a `seq` has seen every smaller one.
CREATE TABLE changes (
    seq BIGSERIAL PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL
);
CREATE FUNCTION changes_of_revisions() RETURNS trigger AS $$
BEGIN
    INSERT INTO changes (kind, code) VALUES (NEW.entity_kind, NEW.entity_code);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION changes_of_rounds() RETURNS trigger AS $$
BEGIN
    INSERT INTO changes (kind, code) VALUES ('round', NEW.code);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION changes_of_round_revisions() RETURNS trigger AS $$
BEGIN
    INSERT INTO changes (kind, code) VALUES ('round', NEW.round_code);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER changes_of_revisions AFTER INSERT ON revisions
    FOR EACH ROW EXECUTE FUNCTION changes_of_revisions();
CREATE TRIGGER changes_of_rounds AFTER INSERT OR UPDATE ON rounds
    FOR EACH ROW EXECUTE FUNCTION changes_of_rounds();
CREATE TRIGGER changes_of_round_revisions AFTER INSERT ON round_revisions
    FOR EACH ROW EXECUTE FUNCTION changes_of_round_revisions();
-- Results stored again (a round compared with one that was corrected) change what readers show.
CREATE TRIGGER changes_of_round_results AFTER INSERT ON round_results
    FOR EACH ROW EXECUTE FUNCTION changes_of_round_revisions();
