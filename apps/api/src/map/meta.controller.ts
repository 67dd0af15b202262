import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { KOTIM_ATTRIBUTION } from '@serat/demo';
import { SitesRepository } from '@serat/domain';
import { Access } from '../auth/access';

export interface MetaResponse {
  appName: string;
  region: { code: string; name: string; bbox: [number, number, number, number] };
  demo: boolean;
  attribution: string;
  tileLayer: SeratConfig['tileLayer'];
}

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
  async meta(): Promise<MetaResponse> {
    return {
      appName: 'Serat',
      region: { ...this.config.region },
      demo: await this.sites.hasDemoData(),
      attribution: KOTIM_ATTRIBUTION,
      tileLayer: this.config.tileLayer,
    };
  }
}
