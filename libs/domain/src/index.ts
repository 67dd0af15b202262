// The domain's public surface, feature by feature: each feature's Nest module with what it provides.
export * from './domain-errors';
export * from './shared/domain-error';
export * from './shared/error-table';
export * from './shared/field-rules';
export * from './shared/geojson-page';
export * from './shared/scope-reason.repository';
export * from './shared/shared.module';
export * from './shared/transaction';

export * from './areas/areas.module';
export * from './areas/areas.repository';

export * from './audit/audit.module';
export * from './audit/audit.repository';

export * from './changes/change-log.repository';
export * from './changes/changes.module';

export * from './auth/auth-tokens.repository';
export * from './auth/auth.module';
export * from './auth/auth.service';
export * from './auth/login-throttle.repository';
export * from './auth/password-hasher';
export * from './auth/password-policy';
export * from './auth/roles';
export * from './auth/secrets';
export * from './auth/users.repository';

export * from './evidence/evidence-rules';
export * from './evidence/evidence.module';
export * from './evidence/photo-store';
export * from './evidence/photos.repository';
export * from './evidence/photos.service';

export * from './exports/exports.module';
export * from './exports/exports.repository';

export * from './imports/import-analysis';
export * from './imports/import-mapping';
export * from './imports/imports.module';
export * from './imports/imports.repository';
export * from './imports/import-options';
export type { PlanAction } from './imports/import-plan';
export * from './imports/import-report';
export * from './imports/imports.service';

export * from './inventory/inventory-filter';
export * from './inventory/inventory.module';
export * from './inventory/inventory.repository';

export * from './network/connectivity.repository';
export * from './network/end-nodes.service';
export * from './network/generated-history';
export * from './network/network-edit.repository';
export * from './network/network-edit.service';
export * from './network/network-status.service';
export * from './network/network.module';
export * from './network/nodes.repository';
export * from './network/segments.repository';
export * from './network/status.repository';

export * from './milestones/evidence-packs.repository';
export * from './milestones/evidence-packs.service';
export * from './milestones/milestone-evaluation';
export * from './milestones/milestones.module';
export * from './milestones/milestones.repository';
export * from './milestones/milestones.service';

export * from './phases/phases.module';
export * from './phases/phases.repository';
export * from './phases/phases.service';
export * from './phases/scope-reason';
export * from './progress/progress-backfill';
export * from './progress/progress-figures';
export * from './progress/progress-history.repository';
export * from './progress/progress-history.service';
export * from './progress/progress.module';
export * from './progress/progress.repository';

export * from './rollups/network-figures';
export * from './rollups/rollups.module';
export * from './rollups/rollups.repository';

export * from './sites/sites.module';
export * from './sites/sites.repository';
export * from './sites/sites.service';

export * from './users/users.module';
export * from './users/users.service';

export * from './tiles/map-tiles.service';
export * from './tiles/tiles.module';
export * from './reports/reports.module';
export * from './reports/reports.repository';
export * from './reports/rollout-report.service';
export * from './monitors/monitors.module';
export * from './monitors/monitors.repository';
export * from './monitors/monitors.service';
