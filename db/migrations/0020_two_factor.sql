ALTER TABLE `institutions` ADD `require_two_factor` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `two_factor_verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `totp_key` text;--> statement-breakpoint
ALTER TABLE `users` ADD `totp_last_counter` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `recovery_code_hash` text;