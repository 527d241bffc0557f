CREATE TABLE `public_generation` (
	`id` integer PRIMARY KEY NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- The page cache (server/page-cache.ts, docs/decisions/015) keeps anonymous public pages while
-- this counter stays the same. Every insert, update or delete on a table whose rows reach a
-- public page bumps it, in the writer's own transaction, whichever process or script writes.
-- Not bumped by: sessions, audit_log, notifications (outbox), processed_events (Stripe event
-- bookkeeping) and invitations, which no public page shows (nor job_leases and rate_limits,
-- added later and written all the time); nor by ledger_nodes,
-- donation_months and disclosure_totals, which are written only in the same transaction as
-- ledger_leaves, donations and disclosures, which do bump it. A new table needs its three
-- triggers here or a place on that list (tests/integration/page-cache.test.ts checks).
INSERT INTO `public_generation` (`id`, `generation`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `public_generation_institutions_insert` AFTER INSERT ON `institutions`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_institutions_update` AFTER UPDATE ON `institutions`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_institutions_delete` AFTER DELETE ON `institutions`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_users_insert` AFTER INSERT ON `users`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_users_update` AFTER UPDATE ON `users`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_users_delete` AFTER DELETE ON `users`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_memberships_insert` AFTER INSERT ON `memberships`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_memberships_update` AFTER UPDATE ON `memberships`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_memberships_delete` AFTER DELETE ON `memberships`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_children_insert` AFTER INSERT ON `children`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_children_update` AFTER UPDATE ON `children`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_children_delete` AFTER DELETE ON `children`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_campaigns_insert` AFTER INSERT ON `campaigns`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_campaigns_update` AFTER UPDATE ON `campaigns`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_campaigns_delete` AFTER DELETE ON `campaigns`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_campaign_institutions_insert` AFTER INSERT ON `campaign_institutions`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_campaign_institutions_update` AFTER UPDATE ON `campaign_institutions`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_campaign_institutions_delete` AFTER DELETE ON `campaign_institutions`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_wishes_insert` AFTER INSERT ON `wishes`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_wishes_update` AFTER UPDATE ON `wishes`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_wishes_delete` AFTER DELETE ON `wishes`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_claims_insert` AFTER INSERT ON `claims`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_claims_update` AFTER UPDATE ON `claims`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_claims_delete` AFTER DELETE ON `claims`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_wish_waitlist_insert` AFTER INSERT ON `wish_waitlist`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_wish_waitlist_update` AFTER UPDATE ON `wish_waitlist`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_wish_waitlist_delete` AFTER DELETE ON `wish_waitlist`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_donations_insert` AFTER INSERT ON `donations`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_donations_update` AFTER UPDATE ON `donations`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_donations_delete` AFTER DELETE ON `donations`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_slot_series_insert` AFTER INSERT ON `slot_series`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_slot_series_update` AFTER UPDATE ON `slot_series`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_slot_series_delete` AFTER DELETE ON `slot_series`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_slots_insert` AFTER INSERT ON `slots`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_slots_update` AFTER UPDATE ON `slots`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_slots_delete` AFTER DELETE ON `slots`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_bookings_insert` AFTER INSERT ON `bookings`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_bookings_update` AFTER UPDATE ON `bookings`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_bookings_delete` AFTER DELETE ON `bookings`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_volunteer_profiles_insert` AFTER INSERT ON `volunteer_profiles`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_volunteer_profiles_update` AFTER UPDATE ON `volunteer_profiles`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_volunteer_profiles_delete` AFTER DELETE ON `volunteer_profiles`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_volunteer_qualifications_insert` AFTER INSERT ON `volunteer_qualifications`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_volunteer_qualifications_update` AFTER UPDATE ON `volunteer_qualifications`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_volunteer_qualifications_delete` AFTER DELETE ON `volunteer_qualifications`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_service_records_insert` AFTER INSERT ON `service_records`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_service_records_update` AFTER UPDATE ON `service_records`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_service_records_delete` AFTER DELETE ON `service_records`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_needs_insert` AFTER INSERT ON `needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_needs_update` AFTER UPDATE ON `needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_needs_delete` AFTER DELETE ON `needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pledges_insert` AFTER INSERT ON `pledges`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pledges_update` AFTER UPDATE ON `pledges`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pledges_delete` AFTER DELETE ON `pledges`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pledge_arrivals_insert` AFTER INSERT ON `pledge_arrivals`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pledge_arrivals_update` AFTER UPDATE ON `pledge_arrivals`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pledge_arrivals_delete` AFTER DELETE ON `pledge_arrivals`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_walk_in_donors_insert` AFTER INSERT ON `walk_in_donors`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_walk_in_donors_update` AFTER UPDATE ON `walk_in_donors`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_walk_in_donors_delete` AFTER DELETE ON `walk_in_donors`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_payments_insert` AFTER INSERT ON `payments`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_payments_update` AFTER UPDATE ON `payments`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_payments_delete` AFTER DELETE ON `payments`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_allocations_insert` AFTER INSERT ON `allocations`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_allocations_update` AFTER UPDATE ON `allocations`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_allocations_delete` AFTER DELETE ON `allocations`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_allocation_sources_insert` AFTER INSERT ON `allocation_sources`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_allocation_sources_update` AFTER UPDATE ON `allocation_sources`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_allocation_sources_delete` AFTER DELETE ON `allocation_sources`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_ledger_leaves_insert` AFTER INSERT ON `ledger_leaves`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_ledger_leaves_update` AFTER UPDATE ON `ledger_leaves`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_ledger_leaves_delete` AFTER DELETE ON `ledger_leaves`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_disclosures_insert` AFTER INSERT ON `disclosures`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_disclosures_update` AFTER UPDATE ON `disclosures`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_disclosures_delete` AFTER DELETE ON `disclosures`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_programmes_insert` AFTER INSERT ON `programmes`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_programmes_update` AFTER UPDATE ON `programmes`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_programmes_delete` AFTER DELETE ON `programmes`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_families_insert` AFTER INSERT ON `families`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_families_update` AFTER UPDATE ON `families`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_families_delete` AFTER DELETE ON `families`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_family_children_insert` AFTER INSERT ON `family_children`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_family_children_update` AFTER UPDATE ON `family_children`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_family_children_delete` AFTER DELETE ON `family_children`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_programme_applications_insert` AFTER INSERT ON `programme_applications`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_programme_applications_update` AFTER UPDATE ON `programme_applications`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_programme_applications_delete` AFTER DELETE ON `programme_applications`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairings_insert` AFTER INSERT ON `pairings`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairings_update` AFTER UPDATE ON `pairings`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairings_delete` AFTER DELETE ON `pairings`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairing_members_insert` AFTER INSERT ON `pairing_members`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairing_members_update` AFTER UPDATE ON `pairing_members`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairing_members_delete` AFTER DELETE ON `pairing_members`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairing_needs_insert` AFTER INSERT ON `pairing_needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairing_needs_update` AFTER UPDATE ON `pairing_needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_pairing_needs_delete` AFTER DELETE ON `pairing_needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_visits_insert` AFTER INSERT ON `visits`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_visits_update` AFTER UPDATE ON `visits`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_visits_delete` AFTER DELETE ON `visits`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_study_needs_insert` AFTER INSERT ON `study_needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_study_needs_update` AFTER UPDATE ON `study_needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_study_needs_delete` AFTER DELETE ON `study_needs`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_tutoring_offers_insert` AFTER INSERT ON `tutoring_offers`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_tutoring_offers_update` AFTER UPDATE ON `tutoring_offers`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_tutoring_offers_delete` AFTER DELETE ON `tutoring_offers`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_service_certificates_insert` AFTER INSERT ON `service_certificates`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_service_certificates_update` AFTER UPDATE ON `service_certificates`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `public_generation_service_certificates_delete` AFTER DELETE ON `service_certificates`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
