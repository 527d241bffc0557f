ALTER TABLE `allocation_sources` ADD `drawn_fen` integer;--> statement-breakpoint
ALTER TABLE `payments` ADD `refunded_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `disputed_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `processed_events` ADD `error` text;