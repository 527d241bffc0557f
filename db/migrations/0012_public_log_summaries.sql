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
