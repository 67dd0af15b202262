import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { RedisProbe } from './redis-probe';
import { Access } from '../auth/access';

type ComponentState = { status: 'up' | 'down' };

export interface HealthResponse {
  status: 'ok' | 'degraded' | 'down';
  database: ComponentState;
  redis: ComponentState & { note?: string };
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisProbe,
  ) {}

  @Get()
  @Access('public')
  @ApiOperation({ summary: 'Database and Redis state. 200 while the database answers (Redis down is degraded), 503 otherwise.' })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const [databaseUp, redisUp] = await Promise.all([this.databaseUp(), this.redis.isUp()]);
    const status = !databaseUp ? 'down' : redisUp ? 'ok' : 'degraded';
    response.status(databaseUp ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status,
      database: { status: databaseUp ? 'up' : 'down' },
      redis: redisUp ? { status: 'up' } : { status: 'down', note: 'monitoring and background jobs are paused' },
    };
  }

  private async databaseUp(): Promise<boolean> {
    try {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref());
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return true;
    } catch {
      return false;
    }
  }
}
