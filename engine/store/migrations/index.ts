import type { Migration } from './migration.js';
import { coreMigration } from './001-core.js';
import { enrichmentMigration } from './003-enrichment.js';
import { findingsMigration } from './004-findings.js';
import { schedulesMigration } from './005-schedules.js';
import { scheduleCancelMigration } from './006-schedule-cancel.js';
import { findingEvaluationsMigration } from './007-finding-evaluations.js';

/**
 * Every migration, in order. One file per version; never edit one that has
 * shipped: add the next. Reserved: 2 connections/secrets, 3 enrichment,
 * 4 findings and outbox, 5 schedules, 6 schedule cancel requests, 7 finding evaluations.
 */
export const migrations: readonly Migration[] = [coreMigration, enrichmentMigration, findingsMigration, schedulesMigration, scheduleCancelMigration, findingEvaluationsMigration];
