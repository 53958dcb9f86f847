import type { LineStringGeometry } from './geojson.parser';
import { issue, mention, type Issue, type RecordRef } from './import-issue';
import type { RoadFeature } from './road-features.parser';

/** One future road segment: a line of a road feature, with the refs of its road and itself. */
export interface RoadPart {
  /** The feature it comes from (a problem with the part is a problem with the feature). */
  feature: RoadFeature;
  roadRef: string;
  roadName: string;
  /** segmentId, `<segmentId>#<n>` for the parts of a MultiLineString, else `<road ref>#<n>`. */
  ref: string;
  geometry: LineStringGeometry;
}

export interface RoadPlan {
  parts: RoadPart[];
  issues: Issue[];
  /** Every segment ref the files name, valid or not: segments of the imported roads outside it are removed. */
  listedRefs: Set<string>;
}

/**
 * Groups the road features of all files into roads (by roadId, else by name) and names their
 * segments. Within a road, segments keep file order; `<road ref>#<n>` counts the road's lines.
 */
export function planRoads(features: RoadFeature[]): RoadPlan {
  const issues: Issue[] = [];
  const roadNames = new Map<string, { name: string; by: RoadFeature }>();
  const lineCount = new Map<string, number>();
  const refOwner = new Map<string, RecordRef>();
  const listedRefs = new Set<string>();
  const parts: RoadPart[] = [];

  for (const f of features) {
    const roadRef = f.roadId ?? f.name;
    const problems: string[] = [];
    const named = roadNames.get(roadRef);
    if (!named) roadNames.set(roadRef, { name: f.name, by: f });
    else if (named.name !== f.name) {
      problems.push(`roadId ${roadRef} is named "${named.name}" by ${mention(named.by, f)}, here "${f.name}"`);
    }
    const mine: RoadPart[] = f.parts.map((geometry, i) => {
      const n = (lineCount.get(roadRef) ?? 0) + 1;
      lineCount.set(roadRef, n);
      const ref = f.segmentId === null ? `${roadRef}#${n}` : f.parts.length === 1 ? f.segmentId : `${f.segmentId}#${i + 1}`;
      return { feature: f, roadRef, roadName: named?.name ?? f.name, ref, geometry };
    });
    for (const part of mine) {
      listedRefs.add(part.ref);
      const owner = refOwner.get(part.ref);
      if (owner && owner !== f) problems.push(`segmentId ${part.ref} repeats ${mention(owner, f)}`);
      else refOwner.set(part.ref, f);
    }
    if (problems.length > 0) issues.push(...problems.map((p) => issue(f, p)));
    else parts.push(...mine);
  }
  return { parts, issues, listedRefs };
}
