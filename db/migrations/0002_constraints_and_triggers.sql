-- Geometry validity: every stored polygon must be valid and non-empty.
ALTER TABLE admin_areas ADD CONSTRAINT admin_areas_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom));
--> statement-breakpoint
ALTER TABLE grids ADD CONSTRAINT grids_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom));
--> statement-breakpoint
ALTER TABLE buildings ADD CONSTRAINT buildings_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom));
--> statement-breakpoint
ALTER TABLE basemap_areas ADD CONSTRAINT basemap_areas_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom));
--> statement-breakpoint
ALTER TABLE grids ADD CONSTRAINT grids_valid_range CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);
--> statement-breakpoint
-- The audit log and case timeline are append-only.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
-- Tile invalidation: one NOTIFY per statement with the changed table and the bbox of old and new rows,
-- so the tile server evicts only the cached tiles that intersect it.
CREATE FUNCTION notify_tile_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  col text := TG_ARGV[0];
  box box2d;
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT ST_Extent(%I)::box2d FROM new_rows', col) INTO box;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('SELECT ST_Extent(%I)::box2d FROM old_rows', col) INTO box;
  ELSE
    EXECUTE format('SELECT ST_Extent(g)::box2d FROM (SELECT %1$I AS g FROM old_rows UNION ALL SELECT %1$I FROM new_rows) s', col) INTO box;
  END IF;
  IF box IS NOT NULL THEN
    PERFORM pg_notify('tile_invalidate', json_build_object(
      'table', TG_TABLE_NAME,
      'bbox', json_build_array(ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)))::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
    ('buildings', 'geom'), ('grids', 'geom'), ('admin_areas', 'geom'), ('service_stations', 'location'),
    ('cases', 'location'), ('basemap_roads', 'geom'), ('basemap_areas', 'geom'), ('basemap_labels', 'geom')) AS v(tbl, col)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change(%L)', t.tbl || '_tiles_ins', t.tbl, t.col);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change(%L)', t.tbl || '_tiles_upd', t.tbl, t.col);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_tile_change(%L)', t.tbl || '_tiles_del', t.tbl, t.col);
  END LOOP;
END $$;
