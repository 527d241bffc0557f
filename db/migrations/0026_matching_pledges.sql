CREATE TABLE `matching_matches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pledge_id` integer NOT NULL,
	`gift_donation_id` integer NOT NULL,
	`matched_donation_id` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`pledge_id`) REFERENCES `matching_pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`gift_donation_id`) REFERENCES `donations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`matched_donation_id`) REFERENCES `donations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "matching_matches_amount" CHECK("matching_matches"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `matching_matches_gift_donation_id_unique` ON `matching_matches` (`gift_donation_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `matching_matches_matched_donation_id_unique` ON `matching_matches` (`matched_donation_id`);--> statement-breakpoint
CREATE INDEX `matching_matches_pledge_idx` ON `matching_matches` (`pledge_id`);--> statement-breakpoint
CREATE TABLE `matching_pledges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	`campaign_id` integer,
	`ratio_permille` integer NOT NULL,
	`cap_fen` integer NOT NULL,
	`per_gift_cap_fen` integer NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`matched_fen` integer DEFAULT 0 NOT NULL,
	`settled_fen` integer DEFAULT 0 NOT NULL,
	`created_by` integer NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "matching_pledges_ratio" CHECK("matching_pledges"."ratio_permille" IN (500, 1000)),
	CONSTRAINT "matching_pledges_amounts" CHECK("matching_pledges"."cap_fen" > 0 AND "matching_pledges"."per_gift_cap_fen" > 0),
	CONSTRAINT "matching_pledges_matched_within_cap" CHECK("matching_pledges"."matched_fen" >= 0 AND "matching_pledges"."matched_fen" <= "matching_pledges"."cap_fen"),
	CONSTRAINT "matching_pledges_period" CHECK("matching_pledges"."ends_at" > "matching_pledges"."starts_at")
);
--> statement-breakpoint
CREATE INDEX `matching_pledges_target_idx` ON `matching_pledges` (`institution_id`,`campaign_id`,`status`);--> statement-breakpoint
CREATE INDEX `matching_pledges_partner_idx` ON `matching_pledges` (`partner_id`);--> statement-breakpoint
CREATE TABLE `matching_settlements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pledge_id` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`transferred_on` text NOT NULL,
	`bank_reference` text DEFAULT '' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`corrects_id` integer,
	`correction_reason` text,
	`recorded_by` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`pledge_id`) REFERENCES `matching_pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`corrects_id`) REFERENCES `matching_settlements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "matching_settlements_sign" CHECK(("matching_settlements"."corrects_id" IS NULL AND "matching_settlements"."amount_fen" > 0) OR ("matching_settlements"."corrects_id" IS NOT NULL AND "matching_settlements"."amount_fen" < 0))
);
--> statement-breakpoint
CREATE INDEX `matching_settlements_pledge_idx` ON `matching_settlements` (`pledge_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `matching_settlements_corrects_unique` ON `matching_settlements` (`corrects_id`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`registration_no` text NOT NULL,
	`contact_name` text NOT NULL,
	`contact_phone` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`reviewed_by` integer,
	`reviewed_at` integer,
	`refusal_reason` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partners_user_unique` ON `partners` (`user_id`);--> statement-breakpoint
CREATE INDEX `partners_status_idx` ON `partners` (`status`);
--> statement-breakpoint
-- Matching (docs/decisions/024): matches and settlements are append-only.
CREATE TRIGGER `matching_matches_no_update` BEFORE UPDATE ON `matching_matches`
BEGIN
  SELECT RAISE(ABORT, 'matching_matches is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `matching_matches_no_delete` BEFORE DELETE ON `matching_matches`
BEGIN
  SELECT RAISE(ABORT, 'matching_matches is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `matching_settlements_no_update` BEFORE UPDATE ON `matching_settlements`
BEGIN
  SELECT RAISE(ABORT, 'matching_settlements is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `matching_settlements_no_delete` BEFORE DELETE ON `matching_settlements`
BEGIN
  SELECT RAISE(ABORT, 'matching_settlements is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_partners_insert` AFTER INSERT ON `partners`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_partners_update` AFTER UPDATE ON `partners`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_partners_delete` AFTER DELETE ON `partners`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_matching_pledges_insert` AFTER INSERT ON `matching_pledges`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_matching_pledges_update` AFTER UPDATE ON `matching_pledges`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_matching_pledges_delete` AFTER DELETE ON `matching_pledges`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_matching_settlements_insert` AFTER INSERT ON `matching_settlements`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_matching_settlements_update` AFTER UPDATE ON `matching_settlements`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_matching_settlements_delete` AFTER DELETE ON `matching_settlements`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
