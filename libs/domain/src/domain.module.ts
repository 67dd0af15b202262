import { Module } from '@nestjs/common';
import { AreasRepository } from './areas/areas.repository';
import { AuditRepository } from './audit/audit.repository';
import { AuthTokensRepository } from './auth/auth-tokens.repository';
import { AuthService } from './auth/auth.service';
import { LoginThrottleRepository } from './auth/login-throttle.repository';
import { ConnectivityRepository } from './network/connectivity.repository';
import { EndNodesService } from './network/end-nodes.service';
import { NetworkEditRepository } from './network/network-edit.repository';
import { NetworkEditService } from './network/network-edit.service';
import { DatabasePhotoStore, DiskPhotoStore, PhotoStores } from './evidence/photo-store';
import { PhotosRepository } from './evidence/photos.repository';
import { PhotosService } from './evidence/photos.service';
import { ExportsRepository } from './exports/exports.repository';
import { ImportsRepository } from './imports/imports.repository';
import { ImportsService } from './imports/imports.service';
import { NetworkStatusService } from './network/network-status.service';
import { StatusRepository } from './network/status.repository';
import { NodesRepository } from './network/nodes.repository';
import { SegmentsRepository } from './network/segments.repository';
import { PhasesRepository } from './phases/phases.repository';
import { UnitOfWork } from './shared/transaction';
import { SitesRepository } from './sites/sites.repository';
import { PasswordHasher } from './users/password-hasher';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

const PROVIDERS = [
  UnitOfWork,
  AreasRepository,
  NodesRepository,
  SegmentsRepository,
  SitesRepository,
  ConnectivityRepository,
  PhasesRepository,
  UsersRepository,
  AuthTokensRepository,
  LoginThrottleRepository,
  AuditRepository,
  PasswordHasher,
  AuthService,
  UsersService,
  NetworkStatusService,
  NetworkEditRepository,
  NetworkEditService,
  EndNodesService,
  StatusRepository,
  PhotosRepository,
  PhotosService,
  ImportsRepository,
  ImportsService,
  ExportsRepository,
];

/** The repositories and services over the shared data source; imported by the api, the worker and the cli. */
@Module({
  providers: [...PROVIDERS, DiskPhotoStore, DatabasePhotoStore, PhotoStores],
  exports: [...PROVIDERS, PhotoStores],
})
export class DomainModule {}
