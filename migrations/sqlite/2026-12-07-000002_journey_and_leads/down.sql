DROP TRIGGER round_leads_of_old_leads;
DROP TRIGGER round_leads_of_new_leads;
DROP TRIGGER round_leads_of_scopes;
DROP TABLE round_leads;
DROP INDEX relations_kind_to_code;
CREATE INDEX relations_kind_to_code ON relations (kind, to_code);
