import { DynamicModule, Global, Module } from '@nestjs/common';
import { SeratConfig } from './config';

export const SERAT_CONFIG = Symbol('SERAT_CONFIG');

/** Makes the already-validated configuration injectable as SERAT_CONFIG. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: SeratConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: SERAT_CONFIG, useValue: config }], exports: [SERAT_CONFIG] };
  }
}
