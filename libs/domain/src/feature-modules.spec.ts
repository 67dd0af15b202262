import { Global, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { loadConfig, SERAT_CONFIG } from '@serat/config';
import { DataSource } from 'typeorm';
import {
  AreasModule,
  AreasRepository,
  AuditModule,
  AuditRepository,
  AuthModule,
  AuthService,
  AuthTokensRepository,
  ConnectivityRepository,
  EvidenceModule,
  ExportsModule,
  ExportsRepository,
  ImportsModule,
  ImportsRepository,
  ImportsService,
  InventoryModule,
  InventoryRepository,
  MapTilesService,
  LoginThrottleRepository,
  NetworkEditRepository,
  NetworkEditService,
  EndNodesService,
  NetworkModule,
  NetworkStatusService,
  NodesRepository,
  PasswordHasher,
  EvidencePacksRepository,
  EvidencePacksService,
  MilestonesModule,
  ReportsModule,
  MonitorsModule,
  MonitorsRepository,
  MonitorsService,
  ReportsRepository,
  RolloutReportService,
  MilestonesRepository,
  MilestonesService,
  PhasesModule,
  PhasesRepository,
  PhotoStores,
  PhotosRepository,
  PhotosService,
  PhasesService,
  ProgressHistoryRepository,
  ProgressHistoryService,
  ProgressModule,
  ProgressRepository,
  RollupsModule,
  RollupsRepository,
  SegmentsRepository,
  SitesModule,
  SitesRepository,
  SitesService,
  StatusRepository,
  TilesModule,
  UsersModule,
  UsersRepository,
  UsersService,
} from './index';

/** What the apps provide to every feature: the configuration and the data source (this one never connects). */
@Global()
@Module({
  providers: [
    { provide: SERAT_CONFIG, useValue: loadConfig({}) },
    { provide: getDataSourceToken(), useValue: new DataSource({ type: 'postgres' }) },
  ],
  exports: [SERAT_CONFIG, getDataSourceToken()],
})
class AppProvided {}

/** Each feature module with what an app that imports it (and nothing else) can inject. */
const FEATURES: [Type, Type[]][] = [
  [AuditModule, [AuditRepository]],
  [PhasesModule, [PhasesRepository, PhasesService]],
  [AuthModule, [UsersRepository, PasswordHasher, AuthTokensRepository, LoginThrottleRepository, AuthService]],
  [UsersModule, [UsersService]],
  [EvidenceModule, [PhotosRepository, PhotoStores, PhotosService]],
  [
    NetworkModule,
    [NodesRepository, SegmentsRepository, StatusRepository, ConnectivityRepository, NetworkEditRepository, EndNodesService, NetworkStatusService, NetworkEditService],
  ],
  [SitesModule, [SitesRepository, SitesService]],
  [AreasModule, [AreasRepository]],
  [ImportsModule, [ImportsRepository, ImportsService]],
  [ExportsModule, [ExportsRepository]],
  [InventoryModule, [InventoryRepository]],
  [TilesModule, [MapTilesService]],
  [RollupsModule, [RollupsRepository]],
  [ProgressModule, [ProgressRepository, ProgressHistoryRepository, ProgressHistoryService]],
  [MilestonesModule, [MilestonesRepository, MilestonesService, EvidencePacksRepository, EvidencePacksService]],
  [ReportsModule, [ReportsRepository, RolloutReportService]],
  [MonitorsModule, [MonitorsRepository, MonitorsService]],
];

describe('the feature modules', () => {
  it.each(FEATURES.map(([feature, exported]) => ({ name: feature.name, feature, exported })))(
    '$name builds from the modules it imports alone, and exports what it provides',
    async ({ feature, exported }) => {
      // Resolved from the importing module, so a provider the feature does not export fails here.
      const module = await Test.createTestingModule({
        imports: [AppProvided, feature],
        providers: [{ provide: 'injected', useFactory: (...all: unknown[]) => all, inject: exported }],
      }).compile();
      const injected = module.get<unknown[]>('injected');
      expect(injected.map((instance, index) => instance instanceof exported[index])).toEqual(exported.map(() => true));
      await module.close();
    },
  );
});
