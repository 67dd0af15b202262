import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Health } from '@serat/contract';
import { DatabaseProbe } from '@serat/database';
import type { Response } from 'express';
import { RedisProbe } from './redis-probe';
import { Access } from '../auth/access';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseProbe,
    private readonly redis: RedisProbe,
  ) {}

  @Get()
  @Access('public')
  @ApiOperation({ summary: 'Database and Redis state. 200 while the database answers (Redis down is degraded), 503 otherwise.' })
  async health(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const [databaseUp, redisUp] = await Promise.all([this.database.isUp(2000), this.redis.isUp()]);
    const status = !databaseUp ? 'down' : redisUp ? 'ok' : 'degraded';
    response.status(databaseUp ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status,
      database: { status: databaseUp ? 'up' : 'down' },
      redis: redisUp ? { status: 'up' } : { status: 'down', note: 'monitoring and background jobs are paused' },
    };
  }
}
