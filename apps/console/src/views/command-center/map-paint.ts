/** How the command center's map draws cells, and the positions of a geometry. Pure. */

/** A cell's open or overdue count: the server's, plus what the feed changed since it was loaded. */
const liveCount = (name: 'open' | 'overdue') => ['+', ['coalesce', ['get', name], 0], ['coalesce', ['feature-state', name === 'open' ? 'dOpen' : 'dOverdue'], 0]];

/** Cells shaded red with overdue cases, orange with open ones (deeper with more), white without (as opaque as `emptyOpacity`). */
export function cellPaint(emptyOpacity = 0.35) {
  return {
    'fill-color': ['case', ['>', liveCount('overdue'), 0], '#e74c3c', ['>', liveCount('open'), 0], '#f39c12', '#ffffff'],
    'fill-opacity': ['case', ['>', liveCount('open'), 0], ['min', 0.75, ['+', 0.3, ['*', 0.15, liveCount('open')]]], emptyOpacity],
  } as never;
}

/** Every position of a geometry (to fit the map to the roads). */
export function coordsOf(g: GeoJSON.Geometry): number[][] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'LineString':
    case 'MultiPoint':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    default:
      return [];
  }
}
