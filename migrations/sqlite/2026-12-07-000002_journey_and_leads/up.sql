-- The home page's journey lists each life event's first services in code order and counts
-- them (`Store::journey`): through the relations' (kind, to_code, from_code) index, in code
-- order, without reading every service of the life event.
DROP INDEX relations_kind_to_code;
CREATE INDEX relations_kind_to_code ON relations (kind, to_code, from_code);

-- Who each round is about, kept as its scope and its services' organisations are: for each
-- round, the leading (first) organisation of the services its scope names, and how many of
-- them it leads. The home page counts the subjects of the published rounds from them
-- (`Store::published_rounds_leads`) without reading their scopes. Kept by triggers on the
-- scopes and the relations, so no writer can forget it.
CREATE TABLE round_leads (
    round_code TEXT NOT NULL REFERENCES rounds (code),
    organisation_code TEXT NOT NULL,
    services INTEGER NOT NULL,
    PRIMARY KEY (round_code, organisation_code)
);
INSERT INTO round_leads (round_code, organisation_code, services)
    SELECT s.round_code, r.to_code, count(*) FROM round_scope s JOIN relations r
        ON r.kind = 'service_organisation' AND r.from_code = s.service_code AND r.position = 0
    GROUP BY s.round_code, r.to_code;
CREATE TRIGGER round_leads_of_scopes AFTER INSERT ON round_scope
BEGIN
    INSERT INTO round_leads (round_code, organisation_code, services)
        SELECT NEW.round_code, r.to_code, 1 FROM relations r
        WHERE r.kind = 'service_organisation' AND r.from_code = NEW.service_code
            AND r.position = 0
    ON CONFLICT (round_code, organisation_code) DO UPDATE SET services = services + 1;
END;
CREATE TRIGGER round_leads_of_new_leads AFTER INSERT ON relations
WHEN NEW.kind = 'service_organisation' AND NEW.position = 0
BEGIN
    INSERT INTO round_leads (round_code, organisation_code, services)
        SELECT s.round_code, NEW.to_code, 1 FROM round_scope s
        WHERE s.service_code = NEW.from_code
    ON CONFLICT (round_code, organisation_code) DO UPDATE SET services = services + 1;
END;
CREATE TRIGGER round_leads_of_old_leads AFTER DELETE ON relations
WHEN OLD.kind = 'service_organisation' AND OLD.position = 0
BEGIN
    UPDATE round_leads SET services = services - 1
        WHERE organisation_code = OLD.to_code
            AND round_code IN (SELECT round_code FROM round_scope WHERE service_code = OLD.from_code);
    DELETE FROM round_leads
        WHERE services <= 0 AND organisation_code = OLD.to_code
            AND round_code IN (SELECT round_code FROM round_scope WHERE service_code = OLD.from_code);
END;
