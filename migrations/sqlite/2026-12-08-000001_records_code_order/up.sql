-- SQLite compares text byte by byte (BINARY) already: every kind of record is paged in code
-- order as the registry sorts codes through its primary key. (PostgreSQL's tree sets the
-- collation.)
SELECT 1;
