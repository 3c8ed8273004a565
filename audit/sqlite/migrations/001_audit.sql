-- The audit log: records (leaves), the tlog tree's stored hashes, the
-- tree size (the sequencer's row) and the signed checkpoints.
CREATE TABLE audit_head (
	one  INTEGER PRIMARY KEY CHECK (one = 1),
	size INTEGER NOT NULL
);
INSERT INTO audit_head (one, size) VALUES (1, 0);

CREATE TABLE audit_records (
	id                 INTEGER PRIMARY KEY,
	time_ns            INTEGER NOT NULL,
	korrelationsid     TEXT NOT NULL,
	interface          TEXT NOT NULL,
	cert_subject       TEXT NOT NULL,
	cert_serial_number TEXT NOT NULL,
	cert_fingerprint   TEXT NOT NULL,
	ombud              TEXT NOT NULL,
	ingivare           TEXT NOT NULL,
	ingivare_namn      TEXT NOT NULL,
	handlaggare        TEXT NOT NULL,
	arendeidentitet    TEXT NOT NULL,
	personidentitet    TEXT NOT NULL,
	period_from        TEXT NOT NULL,
	period_tom         TEXT NOT NULL,
	syfte              TEXT NOT NULL,
	lagtext            TEXT NOT NULL,
	agencies           TEXT NOT NULL,
	skyddad_identitet  INTEGER NOT NULL,
	refusal            TEXT NOT NULL,
	pruned             INTEGER NOT NULL
);
CREATE INDEX audit_records_person ON audit_records (personidentitet, time_ns);
CREATE INDEX audit_records_time ON audit_records (time_ns);

CREATE TABLE audit_hashes (
	idx  INTEGER PRIMARY KEY,
	hash BLOB NOT NULL
);

CREATE TABLE audit_checkpoints (
	size       INTEGER PRIMARY KEY,
	note       TEXT NOT NULL,
	created_ns INTEGER NOT NULL
);
