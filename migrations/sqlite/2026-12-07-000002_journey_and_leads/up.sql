-- The home page's journey lists each life event's first services in code order and counts
-- them (`Store::journey`): through the relations' (kind, to_code, from_code) index, in code
-- order, without reading every service of the life event.
DROP INDEX relations_kind_to_code;
CREATE INDEX relations_kind_to_code ON relations (kind, to_code, from_code);

-- Who each round is about, kept as its scope and its services' organisations are: for each
-- round, the leading (first) organisation of the services its scope names, and how many of
-- them it leads. The home page counts the subjects of the published rounds from them
-- (`Store::published_rounds_leads`) without reading their scopes. Filled by a trigger when a
-- round is created (a scope is fixed then), and counted again for the rounds naming the
-- services whose organisations an import wrote, in its transaction (`count_leads`).
CREATE TABLE round_leads (
    round_code TEXT NOT NULL REFERENCES rounds (code),
    organisation_code TEXT NOT NULL,
    services INTEGER NOT NULL,
    PRIMARY KEY (round_code, organisation_code)
);
-- CROSS JOIN keeps the scopes the outer loop: each service's lead is then found through the
-- relations' primary key, where SQLite, without statistics, would scan every lead once per
-- scope instead.
INSERT INTO round_leads (round_code, organisation_code, services)
    SELECT s.round_code, r.to_code, count(*) FROM round_scope s CROSS JOIN relations r
    WHERE r.kind = 'service_organisation' AND r.from_code = s.service_code AND r.position = 0
    GROUP BY s.round_code, r.to_code;
CREATE TRIGGER round_leads_of_new_rounds AFTER INSERT ON rounds
BEGIN
    INSERT INTO round_leads (round_code, organisation_code, services)
        SELECT NEW.code, r.to_code, count(*)
        FROM (SELECT DISTINCT json_each.value AS service FROM json_each(NEW.scope)) s
        CROSS JOIN relations r
        WHERE r.kind = 'service_organisation' AND r.from_code = s.service AND r.position = 0
        GROUP BY r.to_code;
END;
