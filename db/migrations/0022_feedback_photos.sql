CREATE TABLE `feedback_photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` integer NOT NULL,
	`image_key` text NOT NULL,
	`alt_text` text NOT NULL,
	`detection` text NOT NULL,
	`faces` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`uploaded_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`published_at` integer,
	`updated_at` integer,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "feedback_photos_published_only_clear" CHECK("feedback_photos"."status" <> 'published' OR "feedback_photos"."detection" = 'clear')
);
--> statement-breakpoint
CREATE INDEX `feedback_photos_subject_idx` ON `feedback_photos` (`subject_kind`,`subject_id`,`status`);--> statement-breakpoint
CREATE INDEX `feedback_photos_institution_idx` ON `feedback_photos` (`institution_id`,`id`);
--> statement-breakpoint
CREATE TRIGGER `public_generation_feedback_photos_insert` AFTER INSERT ON `feedback_photos`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_feedback_photos_update` AFTER UPDATE ON `feedback_photos`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_feedback_photos_delete` AFTER DELETE ON `feedback_photos`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
