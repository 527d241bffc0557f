CREATE TABLE `needs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`title` text NOT NULL,
	`category` text NOT NULL,
	`item_description` text DEFAULT '' NOT NULL,
	`specification` text DEFAULT '' NOT NULL,
	`unit` text NOT NULL,
	`quantity_needed` integer NOT NULL,
	`per_pledge_max` integer,
	`urgency` text DEFAULT 'normal' NOT NULL,
	`deadline` integer,
	`delivery_address` text DEFAULT '' NOT NULL,
	`delivery_hours` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`closed_at` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `needs_public_idx` ON `needs` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `needs_institution_idx` ON `needs` (`institution_id`,`status`);--> statement-breakpoint
CREATE TABLE `pledge_arrivals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pledge_id` integer NOT NULL,
	`donation_id` integer NOT NULL,
	`quantity` integer NOT NULL,
	`condition_note` text DEFAULT '' NOT NULL,
	`received_by` integer,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`donation_id`) REFERENCES `donations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`received_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_arrivals_donation_id_unique` ON `pledge_arrivals` (`donation_id`);--> statement-breakpoint
CREATE INDEX `pledge_arrivals_pledge_idx` ON `pledge_arrivals` (`pledge_id`);--> statement-breakpoint
CREATE TABLE `pledges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`need_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`quantity` integer NOT NULL,
	`expected_at` integer NOT NULL,
	`public_display` text NOT NULL,
	`code` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`released_at` integer,
	`cancelled_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`need_id`) REFERENCES `needs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pledges_code_unique` ON `pledges` (`code`);--> statement-breakpoint
CREATE INDEX `pledges_need_idx` ON `pledges` (`need_id`,`status`);--> statement-breakpoint
CREATE INDEX `pledges_user_idx` ON `pledges` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `pledges_status_expected_idx` ON `pledges` (`status`,`expected_at`);--> statement-breakpoint
CREATE TABLE `walk_in_donors` (
	`donation_id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`contact` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`donation_id`) REFERENCES `donations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `donations` ADD `payment_reference` text;--> statement-breakpoint
CREATE INDEX `donations_need_idx` ON `donations` (`designation`,`designation_ref`);--> statement-breakpoint
ALTER TABLE `institutions` ADD `pledge_grace_days` integer DEFAULT 7 NOT NULL;