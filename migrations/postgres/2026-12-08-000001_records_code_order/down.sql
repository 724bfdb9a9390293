ALTER TABLE organisations ALTER COLUMN code TYPE TEXT COLLATE "default";
ALTER TABLE life_events ALTER COLUMN code TYPE TEXT COLLATE "default";
ALTER TABLE evidence_types ALTER COLUMN code TYPE TEXT COLLATE "default";
ALTER TABLE outputs ALTER COLUMN code TYPE TEXT COLLATE "default";
ALTER TABLE information_systems ALTER COLUMN code TYPE TEXT COLLATE "default";
ALTER TABLE datasets ALTER COLUMN code TYPE TEXT COLLATE "default";
ALTER TABLE exchange_links ALTER COLUMN code TYPE TEXT COLLATE "default";
