-- grid_totals: households and building count per grid, kept in step with buildings by row triggers (delta updates).
-- buildings.households is a generated column, so UPDATE OF cannot name it: the WHEN clause filters instead.
CREATE FUNCTION grid_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.grid_id IS NOT NULL THEN
    UPDATE grid_totals
      SET households = households - coalesce(OLD.households, 0), building_count = building_count - 1
      WHERE grid_id = OLD.grid_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.grid_id IS NOT NULL THEN
    INSERT INTO grid_totals AS t (grid_id, households, building_count)
      VALUES (NEW.grid_id, coalesce(NEW.households, 0), 1)
      ON CONFLICT (grid_id) DO UPDATE
        SET households = t.households + excluded.households, building_count = t.building_count + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER buildings_grid_totals_ins AFTER INSERT ON buildings FOR EACH ROW EXECUTE FUNCTION grid_totals_apply();
--> statement-breakpoint
CREATE TRIGGER buildings_grid_totals_upd AFTER UPDATE ON buildings FOR EACH ROW
  WHEN (OLD.grid_id IS DISTINCT FROM NEW.grid_id OR OLD.households IS DISTINCT FROM NEW.households)
  EXECUTE FUNCTION grid_totals_apply();
--> statement-breakpoint
CREATE TRIGGER buildings_grid_totals_del AFTER DELETE ON buildings FOR EACH ROW EXECUTE FUNCTION grid_totals_apply();
--> statement-breakpoint
CREATE FUNCTION grid_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM grid_totals;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER buildings_grid_totals_truncate AFTER TRUNCATE ON buildings FOR EACH STATEMENT
  EXECUTE FUNCTION grid_totals_truncate();
--> statement-breakpoint
INSERT INTO grid_totals (grid_id, households, building_count)
  SELECT grid_id, sum(coalesce(households, 0)), count(*) FROM buildings WHERE grid_id IS NOT NULL GROUP BY grid_id;
