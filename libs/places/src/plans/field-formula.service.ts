import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { formulaVersionSql } from '@wangge/evaluation';
import { PlaceError } from '../place-error';

/** Weights (percentages) of the field work's figures (domain.md 8, issue 17 item 7). */
export interface FieldWeights {
  /** Inspections done on time (of those due). */
  inspectionsOnTime: number;
  /** Cases of failed items closed within their limit. */
  failedItemsFixedOnTime: number;
  /** Milestones met on time (of those due); the milestones' score has this component alone. */
  milestonesOnTime: number;
}

/** One version of `field_formula`: never changed once stored (a trigger refuses it). */
export interface FieldFormula {
  version: number;
  weights: FieldWeights;
  effectiveFrom: string;
  note: string | null;
}

/**
 * The versioned formula of inspections and milestones, picked by evaluation's one rule
 * (`formulaVersionSql`): the version asked for, else the one in force at the period's last instant.
 */
@Injectable()
export class FieldFormulaService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async formula(version: number | undefined, at: Date): Promise<FieldFormula> {
    const rows: { version: number; weights: FieldWeights; effective_from: Date; note: string | null }[] =
      version !== undefined ? await this.db.query(formulaVersionSql('field_formula', 'version'), [version]) : await this.db.query(formulaVersionSql('field_formula', 'in_force'), [at]);
    const row = rows[0];
    if (!row) {
      throw version !== undefined
        ? new PlaceError('not_found', `no field formula version ${version} / 考核公式版本不存在`, [{ field: 'formulaVersion', problem: 'no such version' }])
        : new PlaceError('not_found', `no field formula in force at ${at.toISOString()} / 该时间无有效考核公式`, [{ field: 'to', problem: 'no formula in force' }]);
    }
    return { version: row.version, weights: row.weights, effectiveFrom: new Date(row.effective_from).toISOString(), note: row.note };
  }
}
