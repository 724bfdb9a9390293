-- What a published round says, computed once when it is published or corrected: the figures
-- readers look up instead of scoring the round again (monitoring::RoundResults).
CREATE TABLE round_results (
    round_code TEXT PRIMARY KEY NOT NULL REFERENCES rounds (code),
    revision INTEGER NOT NULL,
    against TEXT,
    national_index DOUBLE PRECISION,
    index_before DOUBLE PRECISION,
    -- JSON: monitoring::Findings, or null for a framework without stages.
    findings TEXT,
    -- JSON: the codes of services the round compared with assessed and this one does not.
    withdrawn TEXT NOT NULL
);
CREATE TABLE round_unit_results (
    round_code TEXT NOT NULL REFERENCES rounds (code),
    service_code TEXT NOT NULL,
    perspective TEXT NOT NULL,
    -- The unit's place in the round: national units in registry order, then cross-border ones.
    seq INTEGER NOT NULL,
    stage INTEGER,
    headline DOUBLE PRECISION,
    movement TEXT,
    stage_before INTEGER,
    headline_before DOUBLE PRECISION,
    -- JSON: every unit node with a value, by node id.
    node_values TEXT NOT NULL,
    PRIMARY KEY (round_code, service_code, perspective)
);
CREATE INDEX round_unit_results_service ON round_unit_results (service_code);
CREATE INDEX round_unit_results_stage ON round_unit_results (round_code, stage);
CREATE TABLE round_group_results (
    round_code TEXT NOT NULL REFERENCES rounds (code),
    grouping TEXT NOT NULL,
    group_code TEXT NOT NULL,
    node TEXT NOT NULL,
    seq INTEGER NOT NULL,
    value DOUBLE PRECISION,
    -- Services of the round in the group.
    services INTEGER NOT NULL,
    PRIMARY KEY (round_code, grouping, group_code, node)
);
CREATE TABLE round_total_results (
    round_code TEXT NOT NULL REFERENCES rounds (code),
    node TEXT NOT NULL,
    seq INTEGER NOT NULL,
    value DOUBLE PRECISION,
    PRIMARY KEY (round_code, node)
);
