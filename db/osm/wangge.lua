-- osm2pgsql (1.8+) flex style for Wangge: loads only what the importer needs into the staging schema
-- `osm_stage`; lib/import/osm.ts turns the staging tables into the domain tables in one transaction.
-- Tags are kept as jsonb so every classification rule lives in one place (SQL, documented in docs/data.md).

local schema = 'osm_stage'

local tables = {}

-- Closed ways and multipolygon relations that carry building, landuse, water, park … tags.
tables.areas = osm2pgsql.define_table({
  name = 'areas',
  schema = schema,
  ids = { type = 'any', type_column = 'osm_type', id_column = 'osm_id' },
  columns = {
    { column = 'tags', type = 'jsonb', not_null = true },
    { column = 'geom', type = 'multipolygon', projection = 4326, not_null = true },
  },
})

-- Roads, paths and railways, with their node id list so the walk graph can split them at every OSM node.
tables.lines = osm2pgsql.define_table({
  name = 'lines',
  schema = schema,
  ids = { type = 'way', id_column = 'osm_id' },
  columns = {
    { column = 'tags', type = 'jsonb', not_null = true },
    { column = 'nodes', sql_type = 'int8[]', not_null = true },
    { column = 'geom', type = 'linestring', projection = 4326, not_null = true },
  },
})

-- Tagged nodes that can become labels or service stations.
tables.points = osm2pgsql.define_table({
  name = 'points',
  schema = schema,
  ids = { type = 'node', id_column = 'osm_id' },
  columns = {
    { column = 'tags', type = 'jsonb', not_null = true },
    { column = 'geom', type = 'point', projection = 4326, not_null = true },
  },
})

local area_keys = {
  'building', 'landuse', 'natural', 'water', 'waterway', 'leisure', 'amenity', 'place', 'office',
  'landuse', 'tourism', 'shop',
}

local point_keys = {
  'place', 'amenity', 'office', 'shop', 'tourism', 'railway', 'public_transport', 'station', 'leisure',
  'historic', 'building', 'government', 'social_facility',
}

local function has_any(tags, keys)
  for _, key in ipairs(keys) do
    if tags[key] then
      return true
    end
  end
  return false
end

local function is_area_way(object)
  local tags = object.tags
  if not object.is_closed or tags.area == 'no' then
    return false
  end
  if tags.building or tags.landuse or tags.leisure or tags.water or tags.amenity or tags.place then
    return true
  end
  if tags.natural and tags.natural ~= 'coastline' and tags.natural ~= 'tree_row' then
    return true
  end
  if tags.waterway == 'riverbank' or tags.waterway == 'dock' then
    return true
  end
  if tags.area == 'yes' and (tags.office or tags.tourism or tags.shop) then
    return true
  end
  return false
end

local function node_list(object)
  return '{' .. table.concat(object.nodes, ',') .. '}'
end

function osm2pgsql.process_node(object)
  if has_any(object.tags, point_keys) or (object.tags.name and next(object.tags) ~= nil) then
    tables.points:insert({ tags = object.tags, geom = object:as_point() })
  end
end

function osm2pgsql.process_way(object)
  local tags = object.tags
  if is_area_way(object) then
    tables.areas:insert({ tags = tags, geom = object:as_polygon() })
  end
  local railway = tags.railway
  local is_rail = railway == 'rail' or railway == 'subway' or railway == 'light_rail'
  if (tags.highway and tags.area ~= 'yes') or is_rail then
    tables.lines:insert({ tags = tags, nodes = node_list(object), geom = object:as_linestring() })
  end
end

function osm2pgsql.process_relation(object)
  local kind = object.tags.type
  if (kind == 'multipolygon' or kind == 'building') and has_any(object.tags, area_keys) then
    tables.areas:insert({ tags = object.tags, geom = object:as_multipolygon() })
  end
end
