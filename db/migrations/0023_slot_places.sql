ALTER TABLE `slots` ADD `confirmed_places` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `slots` ADD `held_places` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Issue 12: a booking (and every slot list) read the places taken by summing the slot's bookings,
-- twice per booking (the app, then the capacity trigger), a cost growing with the slot's size.
-- The sums are now kept on the slot by triggers, in the writer's transaction; rule 4's capacity
-- triggers (0005) compare against them.
UPDATE `slots` SET
  `confirmed_places` = (SELECT coalesce(sum(`party_size`), 0) FROM `bookings` b WHERE b.`slot_id` = `slots`.`id` AND b.`status` = 'confirmed'),
  `held_places` = (SELECT coalesce(sum(`party_size`), 0) FROM `bookings` b WHERE b.`slot_id` = `slots`.`id` AND b.`status` = 'offered');
--> statement-breakpoint
CREATE TRIGGER `slots_places_insert` AFTER INSERT ON `bookings`
WHEN NEW.`status` IN ('confirmed', 'offered')
BEGIN
  UPDATE `slots` SET
    `confirmed_places` = `confirmed_places` + (CASE WHEN NEW.`status` = 'confirmed' THEN NEW.`party_size` ELSE 0 END),
    `held_places` = `held_places` + (CASE WHEN NEW.`status` = 'offered' THEN NEW.`party_size` ELSE 0 END)
  WHERE `id` = NEW.`slot_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `slots_places_update` AFTER UPDATE OF `status`, `party_size`, `slot_id` ON `bookings`
WHEN OLD.`status` IN ('confirmed', 'offered') OR NEW.`status` IN ('confirmed', 'offered')
BEGIN
  UPDATE `slots` SET
    `confirmed_places` = `confirmed_places`
      - (CASE WHEN `id` = OLD.`slot_id` AND OLD.`status` = 'confirmed' THEN OLD.`party_size` ELSE 0 END)
      + (CASE WHEN `id` = NEW.`slot_id` AND NEW.`status` = 'confirmed' THEN NEW.`party_size` ELSE 0 END),
    `held_places` = `held_places`
      - (CASE WHEN `id` = OLD.`slot_id` AND OLD.`status` = 'offered' THEN OLD.`party_size` ELSE 0 END)
      + (CASE WHEN `id` = NEW.`slot_id` AND NEW.`status` = 'offered' THEN NEW.`party_size` ELSE 0 END)
  WHERE `id` IN (OLD.`slot_id`, NEW.`slot_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `slots_places_delete` AFTER DELETE ON `bookings`
WHEN OLD.`status` IN ('confirmed', 'offered')
BEGIN
  UPDATE `slots` SET
    `confirmed_places` = `confirmed_places` - (CASE WHEN OLD.`status` = 'confirmed' THEN OLD.`party_size` ELSE 0 END),
    `held_places` = `held_places` - (CASE WHEN OLD.`status` = 'offered' THEN OLD.`party_size` ELSE 0 END)
  WHERE `id` = OLD.`slot_id`;
END;
--> statement-breakpoint
DROP TRIGGER `bookings_capacity_insert`;
--> statement-breakpoint
CREATE TRIGGER `bookings_capacity_insert` BEFORE INSERT ON `bookings`
WHEN NEW.`status` = 'confirmed'
BEGIN
  SELECT RAISE(ABORT, 'slot capacity exceeded')
  FROM `slots` WHERE `id` = NEW.`slot_id` AND `confirmed_places` + NEW.`party_size` > `capacity`;
END;
--> statement-breakpoint
DROP TRIGGER `bookings_capacity_update`;
--> statement-breakpoint
CREATE TRIGGER `bookings_capacity_update` BEFORE UPDATE OF `status`, `party_size`, `slot_id` ON `bookings`
WHEN NEW.`status` = 'confirmed'
BEGIN
  SELECT RAISE(ABORT, 'slot capacity exceeded')
  FROM `slots` WHERE `id` = NEW.`slot_id`
    AND `confirmed_places`
      - (CASE WHEN OLD.`status` = 'confirmed' AND OLD.`slot_id` = NEW.`slot_id` THEN OLD.`party_size` ELSE 0 END)
      + NEW.`party_size` > `capacity`;
END;
--> statement-breakpoint
DROP TRIGGER `slots_capacity_not_below_confirmed`;
--> statement-breakpoint
CREATE TRIGGER `slots_capacity_not_below_confirmed` BEFORE UPDATE OF `capacity` ON `slots`
BEGIN
  SELECT RAISE(ABORT, 'slot capacity below confirmed bookings') WHERE NEW.`confirmed_places` > NEW.`capacity`;
END;
--> statement-breakpoint
-- The kept places change only with a booking, whose own triggers already bump the public page
-- generation (0015): the slot's update bumps it only when something else changed.
DROP TRIGGER `public_generation_slots_update`;
--> statement-breakpoint
CREATE TRIGGER `public_generation_slots_update` AFTER UPDATE ON `slots`
WHEN NEW.`confirmed_places` = OLD.`confirmed_places` AND NEW.`held_places` = OLD.`held_places`
BEGIN
  UPDATE `public_generation` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
