import type { Label } from './export/labels';

/** One figure of a contributed section: a stable key, a bilingual label, a count. */
export interface BulletinFigure {
  key: string;
  label: Label;
  value: number;
}

/** A section a lib above bulletins adds to every bulletin (e.g. campaigns' figures), frozen in the document like the rest. */
export interface ContributedSection {
  /** Stable id, e.g. `campaigns`. */
  id: string;
  title: Label;
  figures: BulletinFigure[];
}

/**
 * What a lib above the bulletins' floor implements to add a section to the daily summary and the
 * weekly bulletin: bulletins declare it, the apps provide the implementations
 * (`BulletinsModule.forRoot({ contributors })`), so no lib imports a lib above its floor.
 */
export interface BulletinContributor {
  bulletinSection(period: { kind: 'daily' | 'weekly'; from: Date; to: Date }): Promise<ContributedSection>;
}

/** The injection token of the contributors (an array; empty when the app provides none). */
export const BULLETIN_CONTRIBUTORS = 'BULLETIN_CONTRIBUTORS';
