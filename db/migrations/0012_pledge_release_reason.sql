ALTER TABLE `pledges` ADD `released_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `pledges` ADD `release_reason` text;