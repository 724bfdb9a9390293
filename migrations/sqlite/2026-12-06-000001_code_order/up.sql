-- SQLite compares text byte by byte (BINARY) already: services are paged in code order as the
-- registry sorts codes through the primary key. (PostgreSQL's tree sets the collation.)
SELECT 1;
