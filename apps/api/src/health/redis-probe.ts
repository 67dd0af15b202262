import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { SERAT_CONFIG, SeratConfig, redactUrl } from '@serat/config';
import Redis from 'ioredis';

/**
 * Tells whether Redis answers, without ever blocking a request: commands fail at once while
 * disconnected (no offline queue) and the client keeps reconnecting in the background.
 */
@Injectable()
export class RedisProbe implements OnModuleDestroy {
  private readonly logger = new Logger(RedisProbe.name);
  private readonly client: Redis;
  private lastUp: boolean | null = null;

  constructor(@Inject(SERAT_CONFIG) config: SeratConfig) {
    this.client = new Redis(config.redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
    });
    const where = redactUrl(config.redis.url);
    this.client.on('error', () => this.record(false, `Redis at ${where} is unreachable; monitoring and background jobs are paused`));
    this.client.on('ready', () => this.record(true, `Redis at ${where} is connected`));
  }

  private record(up: boolean, message: string): void {
    if (this.lastUp === up) return;
    this.lastUp = up;
    if (up) this.logger.log(message);
    else this.logger.warn(message);
  }

  async isUp(timeoutMs = 1000): Promise<boolean> {
    if (this.client.status !== 'ready') return false;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    const ping = this.client.ping().then(
      (answer) => answer === 'PONG',
      () => false,
    );
    return Promise.race([ping, timeout]);
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
