import { Module } from '@nestjs/common';
import { PhasesRepository } from './phases.repository';

/** Phases (tahap) and work packages: what a segment or site is built under, with year and target date. */
@Module({ providers: [PhasesRepository], exports: [PhasesRepository] })
export class PhasesModule {}
