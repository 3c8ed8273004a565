-- A stream's record committed before any agency is asked (audit.Record.StreamOpening).
ALTER TABLE audit_records ADD COLUMN stream_opening BOOLEAN NOT NULL DEFAULT false;
