CREATE TABLE `public_totals` (
	`institution_id` integer PRIMARY KEY NOT NULL,
	`money_fen` integer DEFAULT 0 NOT NULL,
	`goods_items` integer DEFAULT 0 NOT NULL,
	`wishes_fulfilled` integer DEFAULT 0 NOT NULL,
	`service_minutes` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `institutions` ADD `registration_kind` text DEFAULT 'uscc' NOT NULL;--> statement-breakpoint
ALTER TABLE `institutions` ADD `registration_no` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `institutions` ADD `registration_authority` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `institutions` ADD `org_type` text;--> statement-breakpoint
ALTER TABLE `institutions` ADD `public_fundraising` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `institutions` ADD `facts_verified_at` integer;--> statement-breakpoint
ALTER TABLE `institutions` ADD `facts_verified_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `institutions` ADD `shipping_recipient` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `institutions` ADD `shipping_phone` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- 已收到捐赠 / 物资件数 / 心愿实现数 / 志愿服务时长 for the home page (row 0) and each institution
-- page, kept in the writer's transaction like donation_months (migration 0013), so no request
-- reads history. Written only together with donations, wishes and service_records, which bump
-- public_generation themselves, so this table has no page-cache triggers of its own.
-- Donations are append-only: a correction is a new entry with negative amount / quantity.
CREATE TRIGGER `public_totals_donations_insert` AFTER INSERT ON `donations`
WHEN NEW.`kind` = 'money' OR (NEW.`kind` = 'goods' AND NEW.`designation` = 'need')
BEGIN
  INSERT INTO `public_totals` (`institution_id`, `money_fen`, `goods_items`) VALUES (0, CASE WHEN NEW.`kind` = 'money' THEN coalesce(NEW.`amount_fen`, 0) ELSE 0 END, CASE WHEN NEW.`kind` = 'goods' THEN coalesce(NEW.`quantity`, 0) ELSE 0 END)
  ON CONFLICT (`institution_id`) DO UPDATE SET `money_fen` = `money_fen` + excluded.`money_fen`, `goods_items` = `goods_items` + excluded.`goods_items`;
  INSERT INTO `public_totals` (`institution_id`, `money_fen`, `goods_items`) VALUES (NEW.`institution_id`, CASE WHEN NEW.`kind` = 'money' THEN coalesce(NEW.`amount_fen`, 0) ELSE 0 END, CASE WHEN NEW.`kind` = 'goods' THEN coalesce(NEW.`quantity`, 0) ELSE 0 END)
  ON CONFLICT (`institution_id`) DO UPDATE SET `money_fen` = `money_fen` + excluded.`money_fen`, `goods_items` = `goods_items` + excluded.`goods_items`;
END;
--> statement-breakpoint
CREATE TRIGGER `public_totals_wishes_insert` AFTER INSERT ON `wishes`
WHEN NEW.`status` = 'fulfilled'
BEGIN
  INSERT INTO `public_totals` (`institution_id`, `wishes_fulfilled`) VALUES (0, 1)
  ON CONFLICT (`institution_id`) DO UPDATE SET `wishes_fulfilled` = `wishes_fulfilled` + excluded.`wishes_fulfilled`;
  INSERT INTO `public_totals` (`institution_id`, `wishes_fulfilled`) VALUES (NEW.`institution_id`, 1)
  ON CONFLICT (`institution_id`) DO UPDATE SET `wishes_fulfilled` = `wishes_fulfilled` + excluded.`wishes_fulfilled`;
END;
--> statement-breakpoint
CREATE TRIGGER `public_totals_wishes_update` AFTER UPDATE OF `status`, `institution_id` ON `wishes`
WHEN (OLD.`status` = 'fulfilled') <> (NEW.`status` = 'fulfilled') OR (NEW.`status` = 'fulfilled' AND OLD.`institution_id` <> NEW.`institution_id`)
BEGIN
  INSERT INTO `public_totals` (`institution_id`, `wishes_fulfilled`) VALUES (0, (NEW.`status` = 'fulfilled') - (OLD.`status` = 'fulfilled'))
  ON CONFLICT (`institution_id`) DO UPDATE SET `wishes_fulfilled` = `wishes_fulfilled` + excluded.`wishes_fulfilled`;
  INSERT INTO `public_totals` (`institution_id`, `wishes_fulfilled`) VALUES (OLD.`institution_id`, -(OLD.`status` = 'fulfilled'))
  ON CONFLICT (`institution_id`) DO UPDATE SET `wishes_fulfilled` = `wishes_fulfilled` + excluded.`wishes_fulfilled`;
  INSERT INTO `public_totals` (`institution_id`, `wishes_fulfilled`) VALUES (NEW.`institution_id`, (NEW.`status` = 'fulfilled'))
  ON CONFLICT (`institution_id`) DO UPDATE SET `wishes_fulfilled` = `wishes_fulfilled` + excluded.`wishes_fulfilled`;
END;
--> statement-breakpoint
CREATE TRIGGER `public_totals_wishes_delete` AFTER DELETE ON `wishes`
WHEN OLD.`status` = 'fulfilled'
BEGIN
  INSERT INTO `public_totals` (`institution_id`, `wishes_fulfilled`) VALUES (0, -1)
  ON CONFLICT (`institution_id`) DO UPDATE SET `wishes_fulfilled` = `wishes_fulfilled` + excluded.`wishes_fulfilled`;
  INSERT INTO `public_totals` (`institution_id`, `wishes_fulfilled`) VALUES (OLD.`institution_id`, -1)
  ON CONFLICT (`institution_id`) DO UPDATE SET `wishes_fulfilled` = `wishes_fulfilled` + excluded.`wishes_fulfilled`;
END;
--> statement-breakpoint
-- Service records are written when hours are confirmed (check-out, the slot's close, a
-- confirmed visit) and corrected by upsert, so updates carry the difference.
CREATE TRIGGER `public_totals_service_records_insert` AFTER INSERT ON `service_records`
BEGIN
  INSERT INTO `public_totals` (`institution_id`, `service_minutes`) VALUES (0, NEW.`minutes`)
  ON CONFLICT (`institution_id`) DO UPDATE SET `service_minutes` = `service_minutes` + excluded.`service_minutes`;
  INSERT INTO `public_totals` (`institution_id`, `service_minutes`) VALUES (NEW.`institution_id`, NEW.`minutes`)
  ON CONFLICT (`institution_id`) DO UPDATE SET `service_minutes` = `service_minutes` + excluded.`service_minutes`;
END;
--> statement-breakpoint
CREATE TRIGGER `public_totals_service_records_update` AFTER UPDATE OF `minutes`, `institution_id` ON `service_records`
WHEN OLD.`minutes` <> NEW.`minutes` OR OLD.`institution_id` <> NEW.`institution_id`
BEGIN
  INSERT INTO `public_totals` (`institution_id`, `service_minutes`) VALUES (0, NEW.`minutes` - OLD.`minutes`)
  ON CONFLICT (`institution_id`) DO UPDATE SET `service_minutes` = `service_minutes` + excluded.`service_minutes`;
  INSERT INTO `public_totals` (`institution_id`, `service_minutes`) VALUES (OLD.`institution_id`, -OLD.`minutes`)
  ON CONFLICT (`institution_id`) DO UPDATE SET `service_minutes` = `service_minutes` + excluded.`service_minutes`;
  INSERT INTO `public_totals` (`institution_id`, `service_minutes`) VALUES (NEW.`institution_id`, NEW.`minutes`)
  ON CONFLICT (`institution_id`) DO UPDATE SET `service_minutes` = `service_minutes` + excluded.`service_minutes`;
END;
--> statement-breakpoint
CREATE TRIGGER `public_totals_service_records_delete` AFTER DELETE ON `service_records`
BEGIN
  INSERT INTO `public_totals` (`institution_id`, `service_minutes`) VALUES (0, -OLD.`minutes`)
  ON CONFLICT (`institution_id`) DO UPDATE SET `service_minutes` = `service_minutes` + excluded.`service_minutes`;
  INSERT INTO `public_totals` (`institution_id`, `service_minutes`) VALUES (OLD.`institution_id`, -OLD.`minutes`)
  ON CONFLICT (`institution_id`) DO UPDATE SET `service_minutes` = `service_minutes` + excluded.`service_minutes`;
END;
--> statement-breakpoint
-- Backfill from the rows already there (once, at migration).
INSERT INTO `public_totals` (`institution_id`) VALUES (0);
--> statement-breakpoint
INSERT INTO `public_totals` (`institution_id`) SELECT `id` FROM `institutions`;
--> statement-breakpoint
UPDATE `public_totals` SET
  `money_fen` = (SELECT coalesce(sum(`amount_fen`), 0) FROM `donations` d WHERE d.`kind` = 'money' AND (`public_totals`.`institution_id` = 0 OR d.`institution_id` = `public_totals`.`institution_id`)),
  `goods_items` = (SELECT coalesce(sum(`quantity`), 0) FROM `donations` d WHERE d.`kind` = 'goods' AND d.`designation` = 'need' AND (`public_totals`.`institution_id` = 0 OR d.`institution_id` = `public_totals`.`institution_id`)),
  `wishes_fulfilled` = (SELECT count(*) FROM `wishes` w WHERE w.`status` = 'fulfilled' AND (`public_totals`.`institution_id` = 0 OR w.`institution_id` = `public_totals`.`institution_id`)),
  `service_minutes` = (SELECT coalesce(sum(`minutes`), 0) FROM `service_records` s WHERE `public_totals`.`institution_id` = 0 OR s.`institution_id` = `public_totals`.`institution_id`);
