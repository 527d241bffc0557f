ALTER TABLE `sessions` ADD `last_seen_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `device` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `ip` text;--> statement-breakpoint
ALTER TABLE `users` ADD `phone_verified_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `email_verified_at` integer;--> statement-breakpoint
-- Accounts registered before contacts were verified keep working: their contact counts as verified.
UPDATE `users` SET `phone_verified_at` = `created_at` WHERE `phone` IS NOT NULL;--> statement-breakpoint
UPDATE `users` SET `email_verified_at` = `created_at` WHERE `email` IS NOT NULL;
