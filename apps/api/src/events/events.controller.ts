import { Controller, Get, HttpStatus, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FeedChange, FeedReady, FeedResync, Role } from '@serat/contract';
import { AuthService, ChangeRecord, formatChangeCursor, parseChangeCursor } from '@serat/domain';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { AuthenticatedRequest, requestSecret } from '../auth/request-auth';
import { ApiError } from '../http/api-error';
import { ChangeFeed, FeedFilter, FeedSink, FeedSubscription } from './change-feed';

const streamQuery = z.object({
  lastEventId: z
    .string()
    .regex(/^\d{1,20}\.\d{1,19}$/, { error: 'is the id of an event of this feed' })
    .optional()
    .describe('Where to resume, for a client that kept the last event id itself (a reload); a reconnecting EventSource sends the Last-Event-ID header instead'),
});
class StreamQuery extends createZodDto(streamQuery) {}

/** Streams open at once on one api process; beyond, 503 and the browser tries again later. */
export const MAX_STREAMS_PER_PROCESS = 5000;

/** The network's records: every signed-in user sees them on the map, so every one is told of their changes. */
const NETWORK = new Set(['segment', 'node', 'site', 'photo', 'phase']);
/** The planners' work: imports, templates and maintenance jobs. */
const PLANNING = new Set(['import', 'import_template', 'job']);
const PLANNING_ROLES: readonly Role[] = ['admin', 'planner'];

/**
 * What a role may learn of a change, by the rules of the routes that serve the records:
 * - the network, with its new values, to everyone signed in;
 * - imports and jobs to planners and admins;
 * - everything else (accounts, tokens, sign-ins) to admins only, and only that it happened and
 *   which fields: a feed must not carry what the users API would not show.
 */
export function feedFilterFor(role: Role): FeedFilter {
  return (change: ChangeRecord): FeedChange | null => {
    const network = NETWORK.has(change.entityType);
    if (!network && PLANNING.has(change.entityType) && !PLANNING_ROLES.includes(role)) return null;
    if (!network && !PLANNING.has(change.entityType) && role !== 'admin') return null;
    const fields = Object.keys(change.changes ?? {});
    const after = network || PLANNING.has(change.entityType) ? Object.fromEntries(fields.map((field) => [field, change.changes![field].after])) : null;
    return { entity: change.entityType, id: change.entityId, action: change.action, version: change.version, fields, after, at: change.at.toISOString() };
  };
}

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly feed: ChangeFeed,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Access('signed-in')
  @ApiOperation({
    summary:
      'Server-sent events: every committed change the caller may see (event `change`), in commit order; resume with Last-Event-ID; `resync` asks for a reload, `signed-out` ends the stream',
  })
  @ApiOkResponse({ description: 'text/event-stream' })
  async stream(@Query() query: StreamQuery, @Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    if (this.feed.size >= MAX_STREAMS_PER_PROCESS) throw new ApiError('FEED_FULL', HttpStatus.SERVICE_UNAVAILABLE);
    const lastEventId = request.get('last-event-id') ?? query.lastEventId;
    const from = lastEventId === undefined || lastEventId === '' ? null : parseChangeCursor(lastEventId);
    const { secret } = requestSecret(request);
    const role = request.auth!.user.role;

    response.status(200);
    response.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx and the like would otherwise hold the stream back in their buffers.
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    let open = true;
    const write = (text: string) => {
      if (!open) return;
      response.write(text);
      // compression() holds small writes back until it has enough; an event must leave now.
      (response as Response & { flush?: () => void }).flush?.();
    };
    const send = (event: string, id: string | null, data: unknown) => write(`${id === null ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

    let subscription: FeedSubscription | null = null;
    const heartbeat = setInterval(
      () => void this.checkSession(secret, request.auth!.user.id, role).then((still) => (still ? write(': ping\n\n') : end(true))),
      this.feed.limits.heartbeatMs,
    );
    heartbeat.unref();
    const end = (signedOut = false) => {
      if (!open) return;
      if (signedOut) send('signed-out', null, {});
      open = false;
      clearInterval(heartbeat);
      subscription?.unsubscribe();
      response.end();
    };
    request.on('close', () => end());

    // How long the browser waits before it reconnects after a drop (it sends Last-Event-ID then).
    write('retry: 3000\n\n');
    const sink: FeedSink = {
      change: (cursor: string, change: FeedChange) => send('change', cursor, change),
      resync: (resync: FeedResync) => send('resync', resync.cursor, resync),
      close: () => end(),
    };
    try {
      if (lastEventId !== undefined && lastEventId !== '' && !from) {
        // Not a cursor of this feed: start from now, and say so, so the client reloads.
        subscription = await this.feed.subscribe(sink, feedFilterFor(role), null);
        sink.resync({ cursor: formatChangeCursor(subscription.cursor()), reason: 'unknown-cursor' });
      } else {
        subscription = await this.feed.subscribe(sink, feedFilterFor(role), from);
      }
      if (!open) {
        subscription.unsubscribe();
        return;
      }
      // With its id: a drop before the first change resumes from here, not from whenever it reconnects.
      const cursor = formatChangeCursor(subscription.cursor());
      const ready: FeedReady = { cursor };
      send('ready', cursor, ready);
    } catch {
      end();
    }
  }

  /** The session still valid, for the same user and role (a role change means new rules: the client reconnects). */
  private async checkSession(secret: string | undefined, userId: string, role: Role): Promise<boolean> {
    if (!secret) return false;
    try {
      const token = await this.auth.authenticate(secret);
      return !!token && token.user.id === userId && token.user.role === role && !token.user.mustChangePassword;
    } catch {
      // The database away for a moment is not a sign-out.
      return true;
    }
  }
}
