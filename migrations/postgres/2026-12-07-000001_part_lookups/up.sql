-- The lookups that find the part of the registry connected to some services by queries
-- (`Store::connected`: a country's records in a registry of many), from the side the other
-- indexes do not cover: the outputs that are an evidence type, and the exchange links from or
-- to an information system.
CREATE INDEX outputs_evidence_type_code ON outputs (evidence_type_code);
CREATE INDEX exchange_links_source_system_code ON exchange_links (source_system_code);
CREATE INDEX exchange_links_target_system_code ON exchange_links (target_system_code);
