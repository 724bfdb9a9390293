-- Services are paged in code order as the registry sorts codes (byte order), through the
-- primary key: the key compares codes byte by byte whatever the database's collation.
ALTER TABLE services ALTER COLUMN code TYPE TEXT COLLATE "C";
