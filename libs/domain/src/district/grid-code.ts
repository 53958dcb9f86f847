/** The parts of a 15-digit unit grid cell code: 6 district + 3 street + 3 community + 3 cell sequence. */
export interface GridCodeParts {
  districtCode: string;
  streetCode: string;
  communityCode: string;
  sequence: number;
}

export const GRID_CODE_PATTERN = /^\d{15}$/;
export const STREET_CODE_PATTERN = /^\d{9}$/;
export const COMMUNITY_CODE_PATTERN = /^\d{12}$/;

/** Splits a grid cell code into the codes of its district, street and community; null when malformed. */
export function parseGridCode(code: string): GridCodeParts | null {
  if (!GRID_CODE_PATTERN.test(code)) return null;
  const sequence = Number(code.slice(12));
  if (sequence === 0) return null;
  return {
    districtCode: code.slice(0, 6),
    streetCode: code.slice(0, 9),
    communityCode: code.slice(0, 12),
    sequence,
  };
}

/** The code of the n-th cell (1-based) of a community. */
export function formatGridCode(communityCode: string, sequence: number): string {
  if (!COMMUNITY_CODE_PATTERN.test(communityCode)) throw new RangeError(`bad community code ${communityCode}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) throw new RangeError(`cell sequence ${sequence} out of 1..999`);
  return communityCode + String(sequence).padStart(3, '0');
}
