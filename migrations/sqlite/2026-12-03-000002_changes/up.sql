-- Every change of public data, in the order it was committed: a registry record saved (one row
-- per revision) or a round created, moved to another state, corrected or given its results
-- again. Readers (every `serve`
-- process) ask for the largest `seq` to learn whether anything changed, and for the rows after
-- the one they last saw to learn what, so that they update only what changed. Filled by
-- triggers, so no writer can forget it.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL
);
CREATE TRIGGER changes_of_revisions AFTER INSERT ON revisions
BEGIN
    INSERT INTO changes (kind, code) VALUES (NEW.entity_kind, NEW.entity_code);
END;
CREATE TRIGGER changes_of_new_rounds AFTER INSERT ON rounds
BEGIN
    INSERT INTO changes (kind, code) VALUES ('round', NEW.code);
END;
CREATE TRIGGER changes_of_rounds AFTER UPDATE ON rounds
BEGIN
    INSERT INTO changes (kind, code) VALUES ('round', NEW.code);
END;
CREATE TRIGGER changes_of_round_revisions AFTER INSERT ON round_revisions
BEGIN
    INSERT INTO changes (kind, code) VALUES ('round', NEW.round_code);
END;
-- Results stored again (a round compared with one that was corrected) change what readers show.
CREATE TRIGGER changes_of_round_results AFTER INSERT ON round_results
BEGIN
    INSERT INTO changes (kind, code) VALUES ('round', NEW.round_code);
END;
