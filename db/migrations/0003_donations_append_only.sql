-- The public donation log is append-only: corrections are new entries, never edits.
CREATE TRIGGER `donations_no_update` BEFORE UPDATE ON `donations`
BEGIN
  SELECT RAISE(ABORT, 'donations is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `donations_no_delete` BEFORE DELETE ON `donations`
BEGIN
  SELECT RAISE(ABORT, 'donations is append-only');
END;
