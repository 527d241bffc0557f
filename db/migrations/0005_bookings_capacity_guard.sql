-- Rule 4: a slot never has more confirmed people than its capacity, whatever the application
-- does. Checked on every insert or update that leaves a booking confirmed.
CREATE TRIGGER `bookings_capacity_insert` BEFORE INSERT ON `bookings`
WHEN NEW.status = 'confirmed'
BEGIN
  SELECT RAISE(ABORT, 'slot capacity exceeded')
  WHERE (SELECT coalesce(sum(party_size), 0) FROM bookings WHERE slot_id = NEW.slot_id AND status = 'confirmed') + NEW.party_size
    > (SELECT capacity FROM slots WHERE id = NEW.slot_id);
END;
--> statement-breakpoint
CREATE TRIGGER `bookings_capacity_update` BEFORE UPDATE OF status, party_size ON `bookings`
WHEN NEW.status = 'confirmed'
BEGIN
  SELECT RAISE(ABORT, 'slot capacity exceeded')
  WHERE (SELECT coalesce(sum(party_size), 0) FROM bookings WHERE slot_id = NEW.slot_id AND status = 'confirmed' AND id <> NEW.id) + NEW.party_size
    > (SELECT capacity FROM slots WHERE id = NEW.slot_id);
END;
--> statement-breakpoint
-- Lowering a slot's capacity below what is already confirmed is refused too.
CREATE TRIGGER `slots_capacity_not_below_confirmed` BEFORE UPDATE OF capacity ON `slots`
BEGIN
  SELECT RAISE(ABORT, 'slot capacity below confirmed bookings')
  WHERE (SELECT coalesce(sum(party_size), 0) FROM bookings WHERE slot_id = NEW.id AND status = 'confirmed') > NEW.capacity;
END;
