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

--> statement-breakpoint
CREATE TABLE `disclosure_totals` (
	`disclosure_id` integer PRIMARY KEY NOT NULL,
	`money_fen` integer NOT NULL,
	`goods_value_fen` integer NOT NULL,
	`entry_count` integer NOT NULL,
	FOREIGN KEY (`disclosure_id`) REFERENCES `disclosures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Hand-fixed: drizzle-kit splits an index expression at its commas. The expression must stay
-- identical to donationMonthSql (app/donations/ledger.server.ts) for the planner to use it.
CREATE INDEX `donations_month_idx` ON `donations` (strftime('%Y-%m', `received_at` / 1000, 'unixepoch', '+8 hours'), `id`);
--> statement-breakpoint
CREATE INDEX `donations_home_month_idx` ON `donations` (`institution_id`, strftime('%Y-%m', `received_at` / 1000, 'unixepoch', '+8 hours'), `id`);
--> statement-breakpoint
-- A disclosure's list figures are copied once, at publication, from its frozen summary.
CREATE TRIGGER `disclosure_totals_on_publish` AFTER UPDATE OF `status` ON `disclosures`
WHEN NEW.`status` = 'published' AND OLD.`status` <> 'published'
BEGIN
  INSERT OR IGNORE INTO `disclosure_totals` (`disclosure_id`, `money_fen`, `goods_value_fen`, `entry_count`)
  VALUES (NEW.`id`, coalesce(json_extract(NEW.`summary`, '$.totals.moneyFen'), 0), coalesce(json_extract(NEW.`summary`, '$.totals.goodsValueFen'), 0), coalesce(json_array_length(NEW.`summary`, '$.entries'), 0));
END;
--> statement-breakpoint
CREATE TRIGGER `disclosure_totals_on_insert` AFTER INSERT ON `disclosures`
WHEN NEW.`status` = 'published'
BEGIN
  INSERT OR IGNORE INTO `disclosure_totals` (`disclosure_id`, `money_fen`, `goods_value_fen`, `entry_count`)
  VALUES (NEW.`id`, coalesce(json_extract(NEW.`summary`, '$.totals.moneyFen'), 0), coalesce(json_extract(NEW.`summary`, '$.totals.goodsValueFen'), 0), coalesce(json_array_length(NEW.`summary`, '$.entries'), 0));
END;
--> statement-breakpoint
INSERT INTO `disclosure_totals` (`disclosure_id`, `money_fen`, `goods_value_fen`, `entry_count`)
SELECT `id`, coalesce(json_extract(`summary`, '$.totals.moneyFen'), 0), coalesce(json_extract(`summary`, '$.totals.goodsValueFen'), 0), coalesce(json_array_length(`summary`, '$.entries'), 0)
FROM `disclosures` WHERE `status` = 'published';
