CREATE TABLE `campaign_institutions` (
	`campaign_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `institution_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaign_institutions_institution_idx` ON `campaign_institutions` (`institution_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`owner_institution_id` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`owner_institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_slug_unique` ON `campaigns` (`slug`);--> statement-breakpoint
CREATE INDEX `campaigns_owner_idx` ON `campaigns` (`owner_institution_id`);--> statement-breakpoint
CREATE TABLE `children` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`real_name` text NOT NULL,
	`birth_date` text NOT NULL,
	`gender` text NOT NULL,
	`pseudonym` text NOT NULL,
	`private_notes` text DEFAULT '' NOT NULL,
	`archived_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `children_institution_idx` ON `children` (`institution_id`,`archived_at`);--> statement-breakpoint
CREATE TABLE `claims` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wish_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`public_display` text NOT NULL,
	`reference_code` text NOT NULL,
	`buy_by` integer NOT NULL,
	`deliver_by` integer NOT NULL,
	`purchased_at` integer,
	`shipped_at` integer,
	`tracking_number` text,
	`partial_arrival_note` text,
	`partial_arrival_at` integer,
	`received_at` integer,
	`released_at` integer,
	`release_reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`wish_id`) REFERENCES `wishes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_reference_code_unique` ON `claims` (`reference_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `claims_one_active_per_wish` ON `claims` (`wish_id`) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX `claims_user_idx` ON `claims` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `claims_status_deadline_idx` ON `claims` (`status`,`buy_by`,`deliver_by`);--> statement-breakpoint
CREATE INDEX `claims_institution_idx` ON `claims` (`institution_id`);--> statement-breakpoint
CREATE TABLE `donations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_no` text NOT NULL,
	`institution_id` integer NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`quantity` integer,
	`unit` text,
	`estimated_value_fen` integer,
	`amount_fen` integer,
	`donor_display` text NOT NULL,
	`donor_user_id` integer,
	`designation` text NOT NULL,
	`wish_id` integer,
	`campaign_id` integer,
	`designation_ref` integer,
	`channel` text NOT NULL,
	`received_at` integer NOT NULL,
	`recorded_by` integer,
	`corrects_id` integer,
	`correction_reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`donor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`wish_id`) REFERENCES `wishes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`corrects_id`) REFERENCES `donations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `donations_receipt_no_unique` ON `donations` (`receipt_no`);--> statement-breakpoint
CREATE INDEX `donations_public_idx` ON `donations` (`institution_id`,`id`);--> statement-breakpoint
CREATE INDEX `donations_received_idx` ON `donations` (`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `donations_donor_idx` ON `donations` (`donor_user_id`,`id`);--> statement-breakpoint
CREATE INDEX `donations_wish_idx` ON `donations` (`wish_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`template` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`dedupe_key` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_dedupe_key_unique` ON `notifications` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `notifications_status_idx` ON `notifications` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`id`);--> statement-breakpoint
CREATE TABLE `wish_waitlist` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wish_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`offered_at` integer,
	`offer_expires_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`wish_id`) REFERENCES `wishes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wish_waitlist_one_open_entry` ON `wish_waitlist` (`wish_id`,`user_id`) WHERE status IN ('waiting', 'offered');--> statement-breakpoint
CREATE INDEX `wish_waitlist_queue_idx` ON `wish_waitlist` (`wish_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `wishes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`child_id` integer NOT NULL,
	`campaign_id` integer,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`story` text DEFAULT '' NOT NULL,
	`item_details` text DEFAULT '' NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	`estimated_value_fen` integer,
	`image_key` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`privacy_confirmed_flags` text DEFAULT '[]' NOT NULL,
	`published_at` integer,
	`received_at` integer,
	`fulfilled_at` integer,
	`closed_at` integer,
	`thank_you_message` text,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `wishes_public_idx` ON `wishes` (`status`,`published_at`,`id`);--> statement-breakpoint
CREATE INDEX `wishes_institution_idx` ON `wishes` (`institution_id`,`status`);--> statement-breakpoint
CREATE INDEX `wishes_campaign_idx` ON `wishes` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `wishes_child_idx` ON `wishes` (`child_id`);--> statement-breakpoint
ALTER TABLE `institutions` ADD `claim_buy_days` integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE `institutions` ADD `claim_deliver_days` integer DEFAULT 14 NOT NULL;