DROP TRIGGER round_leads_of_new_rounds ON rounds;
DROP FUNCTION round_leads_of_new_rounds();
DROP TABLE round_leads;
DROP INDEX relations_kind_to_code;
CREATE INDEX relations_kind_to_code ON relations (kind, to_code);
ALTER TABLE relations ALTER COLUMN from_code TYPE TEXT;
