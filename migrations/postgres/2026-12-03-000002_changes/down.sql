DROP TRIGGER changes_of_round_results ON round_results;
DROP TRIGGER changes_of_round_revisions ON round_revisions;
DROP TRIGGER changes_of_rounds ON rounds;
DROP TRIGGER changes_of_revisions ON revisions;
DROP FUNCTION changes_of_round_revisions();
DROP FUNCTION changes_of_rounds();
DROP FUNCTION changes_of_revisions();
DROP TABLE changes;
