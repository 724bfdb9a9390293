-- The services of each round's scope, one row each, so that the rounds naming a service are
-- found by an index instead of by reading every round's scope (`Store::rounds_naming`: the
-- rounds that can be in one series with a round being published). A round's scope is fixed
-- when it is created; filled by a trigger, so no writer can forget it.
CREATE TABLE round_scope (
    round_code TEXT NOT NULL REFERENCES rounds (code),
    service_code TEXT NOT NULL,
    PRIMARY KEY (round_code, service_code)
);
CREATE INDEX round_scope_by_service ON round_scope (service_code, round_code);
INSERT INTO round_scope (round_code, service_code)
    SELECT DISTINCT rounds.code, json_each.value FROM rounds, json_each(rounds.scope);
CREATE TRIGGER round_scope_of_new_rounds AFTER INSERT ON rounds
BEGIN
    INSERT INTO round_scope (round_code, service_code)
        SELECT DISTINCT NEW.code, json_each.value FROM json_each(NEW.scope);
END;
