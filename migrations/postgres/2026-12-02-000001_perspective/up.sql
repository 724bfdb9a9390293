-- The perspective of an answer: national, or cross-border (a user from another country, with
-- its own URLs and landscaping). Every earlier answer was national.
ALTER TABLE assessments ADD COLUMN perspective TEXT NOT NULL DEFAULT 'national';
