import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { Meta } from '@serat/contract';
import { KOTIM_ATTRIBUTION } from '@serat/demo';
import { SitesRepository } from '@serat/domain';
import { Access } from '../auth/access';

@ApiTags('map')
@Controller('meta')
export class MetaController {
  constructor(
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
    private readonly sites: SitesRepository,
  ) {}

  @Get()
  @Access('public')
  @ApiOperation({ summary: 'What the map needs to start: region, attribution, optional tile layer, demo flag' })
  async meta(): Promise<Meta> {
    return {
      appName: 'Serat',
      region: { ...this.config.region },
      demo: await this.sites.hasDemoData(),
      attribution: KOTIM_ATTRIBUTION,
      tileLayer: this.config.tileLayer,
    };
  }
}
