CREATE TABLE `donation_months` (
	`month` text PRIMARY KEY NOT NULL,
	`entries` integer NOT NULL
);
--> statement-breakpoint
-- WITHOUT ROWID (hand-edited): the (level, idx) key is the row, so each node is stored once.
CREATE TABLE `ledger_nodes` (
	`level` integer NOT NULL,
	`idx` integer NOT NULL,
	`hash` blob NOT NULL,
	PRIMARY KEY(`level`, `idx`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `donations_corrects_idx` ON `donations` (`corrects_id`);
--> statement-breakpoint
-- Stored subtree hashes are append-only like the leaves they cover (decision 012). Nodes of
-- existing leaves are backfilled at start by backfillLedgerLeaves (SQLite has no SHA-256).
CREATE TRIGGER `ledger_nodes_no_update` BEFORE UPDATE ON `ledger_nodes`
BEGIN
  SELECT RAISE(ABORT, 'ledger_nodes is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_nodes_no_delete` BEFORE DELETE ON `ledger_nodes`
BEGIN
  SELECT RAISE(ABORT, 'ledger_nodes is append-only');
END;
--> statement-breakpoint
-- The /ledger month filter: one row per Asia/Shanghai month with entries, kept in the
-- transaction that appends the entry (donations are append-only, so inserts are all there is).
CREATE TRIGGER `donation_months_count` AFTER INSERT ON `donations`
BEGIN
  INSERT INTO `donation_months` (`month`, `entries`)
  VALUES (strftime('%Y-%m', NEW.`received_at` / 1000, 'unixepoch', '+8 hours'), 1)
  ON CONFLICT (`month`) DO UPDATE SET `entries` = `entries` + 1;
END;
--> statement-breakpoint
INSERT INTO `donation_months` (`month`, `entries`)
SELECT strftime('%Y-%m', `received_at` / 1000, 'unixepoch', '+8 hours'), count(*) FROM `donations` GROUP BY 1;
