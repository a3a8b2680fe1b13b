import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IndicatorCode } from '../enums';

/**
 * A reported indicator value of a jurisdiction for a fiscal year (not exposed as such: the API shows
 * computed results, see resolvers/figures.ts). Values derivable from other subgraphs are never
 * stored here.
 */
@Entity('indicator_value')
export class IndicatorValue {
  @PrimaryColumn({ type: 'char', length: 6, name: 'jurisdiction_code' })
  jurisdictionCode!: string;

  @PrimaryColumn({ type: 'int', name: 'fiscal_year' })
  fiscalYear!: number;

  @PrimaryColumn({ type: 'text' })
  indicator!: IndicatorCode;

  @Column({ type: 'double precision' })
  value!: number;

  /** Weight for roll-ups as a weighted mean (e.g. discharges behind a rate). */
  @Column({ type: 'double precision', nullable: true })
  weight!: number | null;

  /** A target set for this jurisdiction (e.g. long-stay inpatients, set by formula per prefecture). */
  @Column({ type: 'double precision', nullable: true })
  target!: number | null;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}
