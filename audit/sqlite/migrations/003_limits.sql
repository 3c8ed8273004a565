-- The gateway's limits, shared by every replica on this database and kept
-- across restarts (quota/sqlquota): questions per key (an ingivare's
-- organisationsnummer, or "agency:AF") and Swedish day, and each agency's
-- GCRA state, its next theoretical arrival time in microseconds.
CREATE TABLE limit_day_counts (
    key TEXT NOT NULL,
    day TEXT NOT NULL,
    n   BIGINT NOT NULL,
    PRIMARY KEY (key, day)
);
CREATE TABLE limit_agency_rate (
    agency TEXT PRIMARY KEY,
    tat    BIGINT NOT NULL
);
