-- 用途 entries, their sources and the Merkle log leaves are append-only like the donation log.
CREATE TRIGGER `allocations_no_update` BEFORE UPDATE ON `allocations`
BEGIN
  SELECT RAISE(ABORT, 'allocations is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `allocations_no_delete` BEFORE DELETE ON `allocations`
BEGIN
  SELECT RAISE(ABORT, 'allocations is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `allocation_sources_no_update` BEFORE UPDATE ON `allocation_sources`
BEGIN
  SELECT RAISE(ABORT, 'allocation_sources is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `allocation_sources_no_delete` BEFORE DELETE ON `allocation_sources`
BEGIN
  SELECT RAISE(ABORT, 'allocation_sources is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_leaves_no_update` BEFORE UPDATE ON `ledger_leaves`
BEGIN
  SELECT RAISE(ABORT, 'ledger_leaves is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_leaves_no_delete` BEFORE DELETE ON `ledger_leaves`
BEGIN
  SELECT RAISE(ABORT, 'ledger_leaves is append-only');
END;
--> statement-breakpoint
-- A published disclosure is frozen: no change, no deletion.
CREATE TRIGGER `disclosures_frozen_update` BEFORE UPDATE ON `disclosures`
WHEN OLD.status = 'published'
BEGIN
  SELECT RAISE(ABORT, 'a published disclosure is frozen');
END;
--> statement-breakpoint
CREATE TRIGGER `disclosures_frozen_delete` BEFORE DELETE ON `disclosures`
WHEN OLD.status = 'published'
BEGIN
  SELECT RAISE(ABORT, 'a published disclosure is frozen');
END;
