-- Every kind of record is paged in code order as the registry sorts codes (byte order), through
-- its primary key (`Store::records_page`), as services are since 2026-12-06.
ALTER TABLE organisations ALTER COLUMN code TYPE TEXT COLLATE "C";
ALTER TABLE life_events ALTER COLUMN code TYPE TEXT COLLATE "C";
ALTER TABLE evidence_types ALTER COLUMN code TYPE TEXT COLLATE "C";
ALTER TABLE outputs ALTER COLUMN code TYPE TEXT COLLATE "C";
ALTER TABLE information_systems ALTER COLUMN code TYPE TEXT COLLATE "C";
ALTER TABLE datasets ALTER COLUMN code TYPE TEXT COLLATE "C";
ALTER TABLE exchange_links ALTER COLUMN code TYPE TEXT COLLATE "C";
