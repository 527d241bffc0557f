CREATE TABLE `families` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`alias` text NOT NULL,
	`household_description` text DEFAULT '' NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`contacts` text DEFAULT '' NOT NULL,
	`archived_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `families_institution_idx` ON `families` (`institution_id`);--> statement-breakpoint
CREATE TABLE `family_children` (
	`family_id` integer NOT NULL,
	`child_id` integer NOT NULL,
	PRIMARY KEY(`family_id`, `child_id`),
	FOREIGN KEY (`family_id`) REFERENCES `families`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pairing_members` (
	`pairing_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`pairing_id`, `user_id`),
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pairing_members_user_idx` ON `pairing_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `pairing_needs` (
	`pairing_id` integer NOT NULL,
	`need_id` integer NOT NULL,
	PRIMARY KEY(`pairing_id`, `need_id`),
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`need_id`) REFERENCES `needs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pairings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`programme_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	`family_id` integer,
	`child_id` integer,
	`start_date` text NOT NULL,
	`planned_visits` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`end_reason` text,
	`renovation` text DEFAULT '[]' NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`family_id`) REFERENCES `families`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pairings_programme_idx` ON `pairings` (`programme_id`,`status`);--> statement-breakpoint
CREATE INDEX `pairings_institution_idx` ON `pairings` (`institution_id`);--> statement-breakpoint
CREATE TABLE `programme_applications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`programme_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`motivation` text DEFAULT '' NOT NULL,
	`availability` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`reviewed_by` integer,
	`reviewed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `programme_applications_one_open` ON `programme_applications` (`programme_id`,`user_id`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `programmes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`asks_of_volunteers` text DEFAULT '' NOT NULL,
	`planned_visits` integer DEFAULT 12 NOT NULL,
	`cadence` text DEFAULT 'monthly' NOT NULL,
	`duration_months` integer DEFAULT 12 NOT NULL,
	`required_qualifications` text DEFAULT '[]' NOT NULL,
	`requires_background_check` integer DEFAULT true NOT NULL,
	`accepting_applications` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `programmes_slug_unique` ON `programmes` (`slug`);--> statement-breakpoint
CREATE INDEX `programmes_institution_idx` ON `programmes` (`institution_id`);--> statement-breakpoint
CREATE TABLE `service_certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`user_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`total_minutes` integer NOT NULL,
	`snapshot` text NOT NULL,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_certificates_code_unique` ON `service_certificates` (`code`);--> statement-breakpoint
CREATE TABLE `study_needs` (
	`child_id` integer PRIMARY KEY NOT NULL,
	`subjects` text NOT NULL,
	`grade` integer NOT NULL,
	`availability` text NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `tutoring_offers` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`subjects` text NOT NULL,
	`grades` text NOT NULL,
	`availability` text NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `visits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pairing_id` integer NOT NULL,
	`visited_on` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`attendee_ids` text NOT NULL,
	`substitute_user_id` integer,
	`activities` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`follow_up` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'logged' NOT NULL,
	`query_note` text,
	`logged_by` integer,
	`confirmed_by` integer,
	`confirmed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`substitute_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`logged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`confirmed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visits_pairing_idx` ON `visits` (`pairing_id`,`visited_on`);