ALTER TABLE assessments DROP COLUMN perspective;
