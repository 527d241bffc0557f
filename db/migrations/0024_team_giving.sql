CREATE TABLE `teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` integer NOT NULL,
	`target` text NOT NULL,
	`campaign_id` integer,
	`wish_id` integer,
	`need_id` integer,
	`starter_id` integer NOT NULL,
	`starter_display` text DEFAULT 'masked' NOT NULL,
	`name` text NOT NULL,
	`story` text DEFAULT '' NOT NULL,
	`goal_fen` integer NOT NULL,
	`ends_on` text,
	`raised_fen` integer DEFAULT 0 NOT NULL,
	`gift_count` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`hidden_reason` text,
	`hidden_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`wish_id`) REFERENCES `wishes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`need_id`) REFERENCES `needs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`starter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hidden_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "teams_goal_positive" CHECK("teams"."goal_fen" > 0),
	CONSTRAINT "teams_raised_not_negative" CHECK("teams"."raised_fen" >= 0 AND "teams"."gift_count" >= 0)
);
--> statement-breakpoint
CREATE INDEX `teams_starter_idx` ON `teams` (`starter_id`,`id`);--> statement-breakpoint
CREATE INDEX `teams_institution_idx` ON `teams` (`institution_id`,`id`);--> statement-breakpoint
ALTER TABLE `payments` ADD `team_id` integer REFERENCES teams(id);--> statement-breakpoint
CREATE INDEX `payments_team_idx` ON `payments` (`team_id`,`id`);--> statement-breakpoint
CREATE TRIGGER `public_generation_teams_insert` AFTER INSERT ON `teams`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_teams_update` AFTER UPDATE ON `teams`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_teams_delete` AFTER DELETE ON `teams`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
