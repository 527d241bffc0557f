CREATE TABLE `monthly_gift_charges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`monthly_gift_id` integer NOT NULL,
	`invoice_id` text NOT NULL,
	`status` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`payment_intent_id` text,
	`donation_id` integer,
	`attempt_count` integer DEFAULT 0 NOT NULL,
	`next_retry_at` integer,
	`refunded_fen` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`monthly_gift_id`) REFERENCES `monthly_gifts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`donation_id`) REFERENCES `donations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `monthly_gift_charges_invoice_id_unique` ON `monthly_gift_charges` (`invoice_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `monthly_gift_charges_donation_id_unique` ON `monthly_gift_charges` (`donation_id`);--> statement-breakpoint
CREATE INDEX `monthly_gift_charges_gift_idx` ON `monthly_gift_charges` (`monthly_gift_id`,`id`);--> statement-breakpoint
CREATE INDEX `monthly_gift_charges_intent_idx` ON `monthly_gift_charges` (`payment_intent_id`);--> statement-breakpoint
CREATE TABLE `monthly_gift_totals` (
	`scope` text NOT NULL,
	`scope_id` integer NOT NULL,
	`donors` integer DEFAULT 0 NOT NULL,
	`monthly_fen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`scope`, `scope_id`)
);
--> statement-breakpoint
CREATE TABLE `monthly_gifts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`user_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	`target` text NOT NULL,
	`campaign_id` integer,
	`amount_fen` integer NOT NULL,
	`previous_amount_fen` integer,
	`public_display` text NOT NULL,
	`remind_before_charge` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`checkout_session_id` text,
	`subscription_id` text,
	`customer_id` text,
	`next_charge_at` integer,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`next_retry_at` integer,
	`cancelled_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "monthly_gifts_amount" CHECK("monthly_gifts"."amount_fen" BETWEEN 100 AND 500000),
	CONSTRAINT "monthly_gifts_target" CHECK(("monthly_gifts"."target" = 'campaign') = ("monthly_gifts"."campaign_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `monthly_gifts_idempotency_key_unique` ON `monthly_gifts` (`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `monthly_gifts_checkout_session_id_unique` ON `monthly_gifts` (`checkout_session_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `monthly_gifts_subscription_id_unique` ON `monthly_gifts` (`subscription_id`);--> statement-breakpoint
CREATE INDEX `monthly_gifts_user_idx` ON `monthly_gifts` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `monthly_gifts_next_charge_idx` ON `monthly_gifts` (`status`,`next_charge_at`);

--> statement-breakpoint
-- 「N 位月捐人 · 每月 ¥X」: live monthly gifts (active, or past_due while the provider retries)
-- per home and per campaign, kept in the writer's transaction so no request reads history.
-- Written only when a gift starts or stops counting or its amount changes; the page cache
-- generation is bumped by this table's own triggers below.
CREATE TRIGGER `monthly_gift_totals_insert` AFTER INSERT ON `monthly_gifts`
WHEN NEW.`status` IN ('active', 'past_due')
BEGIN
  INSERT INTO `monthly_gift_totals` (`scope`, `scope_id`, `donors`, `monthly_fen`) VALUES ('institution', NEW.`institution_id`, 1, NEW.`amount_fen`)
  ON CONFLICT (`scope`, `scope_id`) DO UPDATE SET `donors` = `donors` + excluded.`donors`, `monthly_fen` = `monthly_fen` + excluded.`monthly_fen`;
  INSERT INTO `monthly_gift_totals` (`scope`, `scope_id`, `donors`, `monthly_fen`) SELECT 'campaign', NEW.`campaign_id`, 1, NEW.`amount_fen` WHERE NEW.`campaign_id` IS NOT NULL
  ON CONFLICT (`scope`, `scope_id`) DO UPDATE SET `donors` = `donors` + excluded.`donors`, `monthly_fen` = `monthly_fen` + excluded.`monthly_fen`;
END;
--> statement-breakpoint
CREATE TRIGGER `monthly_gift_totals_update` AFTER UPDATE ON `monthly_gifts`
WHEN (OLD.`status` IN ('active', 'past_due')) <> (NEW.`status` IN ('active', 'past_due')) OR ((NEW.`status` IN ('active', 'past_due')) AND OLD.`amount_fen` <> NEW.`amount_fen`)
BEGIN
  INSERT INTO `monthly_gift_totals` (`scope`, `scope_id`, `donors`, `monthly_fen`) VALUES ('institution', NEW.`institution_id`, (CASE WHEN NEW.`status` IN ('active', 'past_due') THEN 1 ELSE 0 END) - (CASE WHEN OLD.`status` IN ('active', 'past_due') THEN 1 ELSE 0 END), (CASE WHEN NEW.`status` IN ('active', 'past_due') THEN NEW.`amount_fen` ELSE 0 END) - (CASE WHEN OLD.`status` IN ('active', 'past_due') THEN OLD.`amount_fen` ELSE 0 END))
  ON CONFLICT (`scope`, `scope_id`) DO UPDATE SET `donors` = `donors` + excluded.`donors`, `monthly_fen` = `monthly_fen` + excluded.`monthly_fen`;
  INSERT INTO `monthly_gift_totals` (`scope`, `scope_id`, `donors`, `monthly_fen`) SELECT 'campaign', NEW.`campaign_id`, (CASE WHEN NEW.`status` IN ('active', 'past_due') THEN 1 ELSE 0 END) - (CASE WHEN OLD.`status` IN ('active', 'past_due') THEN 1 ELSE 0 END), (CASE WHEN NEW.`status` IN ('active', 'past_due') THEN NEW.`amount_fen` ELSE 0 END) - (CASE WHEN OLD.`status` IN ('active', 'past_due') THEN OLD.`amount_fen` ELSE 0 END) WHERE NEW.`campaign_id` IS NOT NULL
  ON CONFLICT (`scope`, `scope_id`) DO UPDATE SET `donors` = `donors` + excluded.`donors`, `monthly_fen` = `monthly_fen` + excluded.`monthly_fen`;
END;
--> statement-breakpoint
CREATE TRIGGER `monthly_gift_totals_delete` AFTER DELETE ON `monthly_gifts`
WHEN OLD.`status` IN ('active', 'past_due')
BEGIN
  INSERT INTO `monthly_gift_totals` (`scope`, `scope_id`, `donors`, `monthly_fen`) VALUES ('institution', OLD.`institution_id`, -1, -OLD.`amount_fen`)
  ON CONFLICT (`scope`, `scope_id`) DO UPDATE SET `donors` = `donors` + excluded.`donors`, `monthly_fen` = `monthly_fen` + excluded.`monthly_fen`;
  INSERT INTO `monthly_gift_totals` (`scope`, `scope_id`, `donors`, `monthly_fen`) SELECT 'campaign', OLD.`campaign_id`, -1, -OLD.`amount_fen` WHERE OLD.`campaign_id` IS NOT NULL
  ON CONFLICT (`scope`, `scope_id`) DO UPDATE SET `donors` = `donors` + excluded.`donors`, `monthly_fen` = `monthly_fen` + excluded.`monthly_fen`;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_monthly_gift_totals_insert` AFTER INSERT ON `monthly_gift_totals`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_monthly_gift_totals_update` AFTER UPDATE ON `monthly_gift_totals`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_monthly_gift_totals_delete` AFTER DELETE ON `monthly_gift_totals`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
