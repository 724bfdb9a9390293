-- Each service's and dataset's references, packed in its own row, so that reading the registry
-- reads one row per record instead of one per reference as well (at the UN survey's scale,
-- 860,000 records and 4.3 million references). A service's `refs` is four lines: its
-- organisations, life events, evidence and outputs; a dataset's is one line: the evidence it
-- supplies; each line is codes in their order, separated by one space. The `relations` table
-- keeps every reference as well, for the lookups from the other side (a life event's services).
ALTER TABLE services ADD COLUMN refs TEXT NOT NULL DEFAULT '';
ALTER TABLE datasets ADD COLUMN refs TEXT NOT NULL DEFAULT '';
UPDATE services SET refs =
    coalesce((SELECT string_agg(r.to_code, ' ' ORDER BY r.position) FROM relations r
              WHERE r.kind = 'service_organisation' AND r.from_code = services.code), '')
    || E'\n' ||
    coalesce((SELECT string_agg(r.to_code, ' ' ORDER BY r.position) FROM relations r
              WHERE r.kind = 'service_life_event' AND r.from_code = services.code), '')
    || E'\n' ||
    coalesce((SELECT string_agg(r.to_code, ' ' ORDER BY r.position) FROM relations r
              WHERE r.kind = 'service_evidence' AND r.from_code = services.code), '')
    || E'\n' ||
    coalesce((SELECT string_agg(r.to_code, ' ' ORDER BY r.position) FROM relations r
              WHERE r.kind = 'service_output' AND r.from_code = services.code), '');
UPDATE datasets SET refs =
    coalesce((SELECT string_agg(r.to_code, ' ' ORDER BY r.position) FROM relations r
              WHERE r.kind = 'dataset_supplies' AND r.from_code = datasets.code), '');
