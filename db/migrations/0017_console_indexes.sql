DROP INDEX `claims_institution_idx`;--> statement-breakpoint
CREATE INDEX `claims_home_status_idx` ON `claims` (`institution_id`,`status`,`deliver_by`);--> statement-breakpoint
CREATE INDEX `pledges_home_status_expected_idx` ON `pledges` (`institution_id`,`status`,`expected_at`);--> statement-breakpoint
CREATE INDEX `programme_applications_programme_status_idx` ON `programme_applications` (`programme_id`,`status`);--> statement-breakpoint
CREATE INDEX `visits_status_pairing_idx` ON `visits` (`status`,`pairing_id`);--> statement-breakpoint
CREATE INDEX `volunteer_profiles_background_idx` ON `volunteer_profiles` (`background_check_status`);--> statement-breakpoint
CREATE INDEX `volunteer_qualifications_status_idx` ON `volunteer_qualifications` (`status`,`user_id`);