-- The home page's journey lists each life event's first services in code order and counts
-- them (`Store::journey`): through the relations' (kind, to_code, from_code) index, in code
-- order (byte order, as the services' codes), without reading every service of the life event.
ALTER TABLE relations ALTER COLUMN from_code TYPE TEXT COLLATE "C";
DROP INDEX relations_kind_to_code;
CREATE INDEX relations_kind_to_code ON relations (kind, to_code, from_code);

-- Who each round is about, kept as its scope and its services' organisations are: for each
-- round, the leading (first) organisation of the services its scope names, and how many of
-- them it leads. The home page counts the subjects of the published rounds from them
-- (`Store::published_rounds_leads`) without reading their scopes. Kept by triggers on the
-- scopes and the relations (once a statement, over the rows it wrote), so no writer can
-- forget it.
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
CREATE FUNCTION round_leads_of_scopes() RETURNS trigger AS $$
BEGIN
    INSERT INTO round_leads (round_code, organisation_code, services)
        SELECT n.round_code, r.to_code, count(*) FROM new_scopes n JOIN relations r
            ON r.kind = 'service_organisation' AND r.from_code = n.service_code
            AND r.position = 0
        GROUP BY n.round_code, r.to_code
    ON CONFLICT (round_code, organisation_code)
        DO UPDATE SET services = round_leads.services + EXCLUDED.services;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER round_leads_of_scopes AFTER INSERT ON round_scope
    REFERENCING NEW TABLE AS new_scopes
    FOR EACH STATEMENT EXECUTE FUNCTION round_leads_of_scopes();
CREATE FUNCTION round_leads_of_new_leads() RETURNS trigger AS $$
BEGIN
    INSERT INTO round_leads (round_code, organisation_code, services)
        SELECT s.round_code, n.to_code, count(*) FROM new_relations n JOIN round_scope s
            ON s.service_code = n.from_code
        WHERE n.kind = 'service_organisation' AND n.position = 0
        GROUP BY s.round_code, n.to_code
    ON CONFLICT (round_code, organisation_code)
        DO UPDATE SET services = round_leads.services + EXCLUDED.services;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER round_leads_of_new_leads AFTER INSERT ON relations
    REFERENCING NEW TABLE AS new_relations
    FOR EACH STATEMENT EXECUTE FUNCTION round_leads_of_new_leads();
CREATE FUNCTION round_leads_of_old_leads() RETURNS trigger AS $$
BEGIN
    WITH gone AS (
        SELECT s.round_code, o.to_code, count(*) AS n FROM old_relations o JOIN round_scope s
            ON s.service_code = o.from_code
        WHERE o.kind = 'service_organisation' AND o.position = 0
        GROUP BY s.round_code, o.to_code
    )
    UPDATE round_leads l SET services = l.services - gone.n FROM gone
        WHERE l.round_code = gone.round_code AND l.organisation_code = gone.to_code;
    DELETE FROM round_leads l USING old_relations o, round_scope s
        WHERE l.services <= 0 AND o.kind = 'service_organisation' AND o.position = 0
            AND s.service_code = o.from_code
            AND l.round_code = s.round_code AND l.organisation_code = o.to_code;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER round_leads_of_old_leads AFTER DELETE ON relations
    REFERENCING OLD TABLE AS old_relations
    FOR EACH STATEMENT EXECUTE FUNCTION round_leads_of_old_leads();
