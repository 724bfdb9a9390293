DROP TRIGGER changes_of_round_results;
DROP TRIGGER changes_of_round_revisions;
DROP TRIGGER changes_of_rounds;
DROP TRIGGER changes_of_new_rounds;
DROP TRIGGER changes_of_revisions;
DROP TABLE changes;
