CREATE TABLE `bookings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slot_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`party_size` integer DEFAULT 1 NOT NULL,
	`organisation` text,
	`contact_name` text NOT NULL,
	`contact_phone` text NOT NULL,
	`attendee_names` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`code` text NOT NULL,
	`offer_expires_at` integer,
	`confirmed_at` integer,
	`checked_in_at` integer,
	`checked_in_count` integer,
	`checked_out_at` integer,
	`cancelled_at` integer,
	`cancel_reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`slot_id`) REFERENCES `slots`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_code_unique` ON `bookings` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_one_live_per_member` ON `bookings` (`slot_id`,`user_id`) WHERE status IN ('confirmed', 'waitlisted', 'offered');--> statement-breakpoint
CREATE INDEX `bookings_slot_status_idx` ON `bookings` (`slot_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `bookings_user_idx` ON `bookings` (`user_id`,`id`);--> statement-breakpoint
CREATE TABLE `service_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	`source` text NOT NULL,
	`source_id` integer NOT NULL,
	`description` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`minutes` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_records_source_unique` ON `service_records` (`source`,`source_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `service_records_user_idx` ON `service_records` (`user_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `slot_series` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`rrule` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`template` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `slot_series_institution_idx` ON `slot_series` (`institution_id`);--> statement-breakpoint
CREATE TABLE `slots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`series_id` integer,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`location` text DEFAULT '' NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`capacity` integer NOT NULL,
	`opens_at` integer,
	`closes_at` integer,
	`allow_groups` integer DEFAULT true NOT NULL,
	`group_min_days_ahead` integer DEFAULT 0 NOT NULL,
	`group_max_size` integer DEFAULT 20 NOT NULL,
	`cancel_cutoff_hours` integer DEFAULT 24 NOT NULL,
	`offer_hold_hours` integer DEFAULT 12 NOT NULL,
	`min_age` integer,
	`required_qualifications` text DEFAULT '[]' NOT NULL,
	`requires_background_check` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`series_id`) REFERENCES `slot_series`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `slots_public_idx` ON `slots` (`status`,`starts_at`,`id`);--> statement-breakpoint
CREATE INDEX `slots_institution_idx` ON `slots` (`institution_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `slots_series_idx` ON `slots` (`series_id`);--> statement-breakpoint
CREATE TABLE `volunteer_profiles` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`real_name` text NOT NULL,
	`phone` text NOT NULL,
	`birth_date` text,
	`background_check_status` text DEFAULT 'none' NOT NULL,
	`background_check_evidence` text DEFAULT '' NOT NULL,
	`background_check_verified_by` integer,
	`background_check_verified_at` integer,
	`background_check_institution_id` integer,
	`background_check_expires_at` integer,
	`background_check_note` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`background_check_verified_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`background_check_institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `volunteer_qualifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`evidence` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`verified_by` integer,
	`verified_at` integer,
	`institution_id` integer,
	`note` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`verified_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `volunteer_qualifications_user_kind` ON `volunteer_qualifications` (`user_id`,`kind`);--> statement-breakpoint
CREATE INDEX `volunteer_qualifications_user_idx` ON `volunteer_qualifications` (`user_id`);