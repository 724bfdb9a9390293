-- The registry: current records, the relations between them, and every revision.
-- Multilingual text is a JSON object {"az": ..., "en": ..., "ru": ...} in a TEXT column.
-- Times are RFC 3339 UTC text, so both backends store and sort them alike.
-- Keep this file and migrations/sqlite/ in step: a test compares the two schemas.

CREATE TABLE organisations (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    org_type TEXT NOT NULL,
    parent_code TEXT,
    status TEXT NOT NULL,
    provenance TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX organisations_parent_code ON organisations (parent_code);

CREATE TABLE life_events (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    journey_order INTEGER NOT NULL,
    eu_code TEXT NOT NULL,
    status TEXT NOT NULL,
    provenance TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX life_events_journey_order ON life_events (journey_order);

CREATE TABLE evidence_types (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    provenance TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE outputs (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    output_type TEXT NOT NULL,
    evidence_type_code TEXT,
    status TEXT NOT NULL,
    provenance TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE information_systems (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_code TEXT NOT NULL,
    base_registry BOOLEAN NOT NULL,
    lifecycle TEXT NOT NULL,
    digitisation_state TEXT NOT NULL,
    digitisation_share_pct INTEGER,
    digitisation_as_of TEXT,
    provenance TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX information_systems_owner_code ON information_systems (owner_code);

CREATE TABLE datasets (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    system_code TEXT NOT NULL,
    status TEXT NOT NULL,
    provenance TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX datasets_system_code ON datasets (system_code);

CREATE TABLE services (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    audience TEXT NOT NULL,
    provenance TEXT NOT NULL,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX services_status ON services (status);

-- Channels belong to their service: they change with it and share its revisions.
CREATE TABLE channels (
    code TEXT PRIMARY KEY NOT NULL,
    service_code TEXT NOT NULL,
    channel_type TEXT NOT NULL,
    url TEXT,
    e_id BOOLEAN NOT NULL,
    e_signature BOOLEAN NOT NULL,
    e_payment BOOLEAN NOT NULL,
    electronic_output BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    provenance TEXT NOT NULL
);
CREATE INDEX channels_service_code ON channels (service_code);

CREATE TABLE exchange_links (
    code TEXT PRIMARY KEY NOT NULL,
    source_dataset_code TEXT,
    source_system_code TEXT,
    target_system_code TEXT,
    target_service_code TEXT,
    status TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT,
    provenance TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX exchange_links_source_dataset_code ON exchange_links (source_dataset_code);
CREATE INDEX exchange_links_target_service_code ON exchange_links (target_service_code);

-- Ordered many-to-many relations, e.g. ('service_life_event', 'SRV-0001', 'LE-PRESCHOOL', 0).
CREATE TABLE relations (
    kind TEXT NOT NULL,
    from_code TEXT NOT NULL,
    to_code TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (kind, from_code, to_code)
);
CREATE INDEX relations_kind_to_code ON relations (kind, to_code);

-- One immutable row per saved state of a record: who, when, why, and the record as saved.
CREATE TABLE revisions (
    entity_kind TEXT NOT NULL,
    entity_code TEXT NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    PRIMARY KEY (entity_kind, entity_code, version)
);
CREATE INDEX revisions_created_at ON revisions (created_at);

-- Revisions are history: the database itself refuses to change or remove one.
CREATE FUNCTION revisions_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'revisions are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
    FOR EACH ROW EXECUTE FUNCTION revisions_append_only();
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
    FOR EACH ROW EXECUTE FUNCTION revisions_append_only();
