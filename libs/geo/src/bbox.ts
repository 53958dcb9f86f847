import { AppError, type FieldProblem } from '@wangge/operations';
import type { BoundingBox } from './map-layers.service';

/** A bbox text longer than this is refused before it is read (four coordinates fit in far less). */
export const MAX_BBOX_TEXT = 200;

/** A bounding box in a request that is not a box on the globe (400 `bad_input`, each problem naming the field). */
export class BboxError extends AppError<'bad_input'> {
  constructor(problems: FieldProblem[]) {
    super('bad_input', 'invalid', `bad ${problems[0].field}: ${problems.map((p) => p.problem).join('; ')}`, { details: problems });
  }
}

/**
 * Reads `minLng,minLat,maxLng,maxLat` (WGS84 degrees) from a request. Pure. Throws a
 * {@link BboxError} naming `field` when the text is too long, is not four numbers, lies off the
 * globe (lng -180..180, lat -90..90) or has a min not below its max.
 */
export function parseBbox(value: string, field = 'bbox'): BoundingBox {
  const refuse = (...problems: string[]): never => {
    throw new BboxError(problems.map((problem) => ({ field, problem })));
  };
  if (value.length > MAX_BBOX_TEXT) refuse(`longer than ${MAX_BBOX_TEXT} characters`);
  const parts = value.split(',');
  const numbers = parts.map((part) => (/^-?\d+(\.\d+)?$/.test(part) ? Number(part) : NaN));
  if (parts.length !== 4 || numbers.some((n) => !Number.isFinite(n))) refuse(`${field} must be minLng,minLat,maxLng,maxLat (four numbers)`);
  const [minLng, minLat, maxLng, maxLat] = numbers;
  const problems: string[] = [];
  if (minLng < -180 || maxLng > 180 || minLat < -90 || maxLat > 90) problems.push('coordinates out of range (lng -180..180, lat -90..90)');
  if (minLng >= maxLng || minLat >= maxLat) problems.push('min must be less than max (minLng,minLat,maxLng,maxLat)');
  if (problems.length) refuse(...problems);
  return { minLng, minLat, maxLng, maxLat };
}
