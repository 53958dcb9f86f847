import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from './role';

/** A person who logs in. `passwordHash` null: the account exists (e.g. an imported chief) but cannot log in yet. */
@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  username: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text' })
  role: Role;

  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  /** Street-level staff: the street they serve. Null for district-wide staff. */
  @Column({ name: 'street_code', type: 'varchar', length: 9, nullable: true })
  streetCode: string | null;

  /** Role department: the department they belong to (domain.md 9); null for everyone else. */
  @Column({ name: 'department_code', type: 'text', nullable: true })
  departmentCode: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Given DEMO_PASSWORD by the demo seed: in production, checked at start (no account may keep a demo password). */
  @Column({ name: 'seeded_demo_password', type: 'boolean', default: false, select: false })
  seededDemoPassword: boolean;

  /** Carried in access tokens: bumped to end every session (deactivation, password reset). */
  @Column({ name: 'session_version', type: 'integer', default: 0 })
  sessionVersion: number;

  /** A one-time password: its sessions may only change the password. */
  @Column({ name: 'password_change_required', type: 'boolean', default: false })
  passwordChangeRequired: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
