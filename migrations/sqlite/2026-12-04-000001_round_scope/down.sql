DROP TRIGGER round_scope_of_new_rounds;
DROP TABLE round_scope;
