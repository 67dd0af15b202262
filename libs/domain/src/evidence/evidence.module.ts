import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SharedModule } from '../shared/shared.module';
import { DatabasePhotoStore, DiskPhotoStore, PhotoStores } from './photo-store';
import { PhotosRepository } from './photos.repository';
import { PhotosService } from './photos.service';

/** Photos taken as evidence of field work, in the configured store. */
@Module({
  imports: [SharedModule, AuditModule],
  providers: [PhotosRepository, DiskPhotoStore, DatabasePhotoStore, PhotoStores, PhotosService],
  exports: [PhotosRepository, PhotoStores, PhotosService],
})
export class EvidenceModule {}
