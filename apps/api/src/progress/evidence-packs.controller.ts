import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { EvidencePack } from '@serat/contract';
import { AuditContext, EvidencePacksService, type EvidencePackRow } from '@serat/domain';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit } from '../auth/request-auth';
import { ApiError } from '../http/api-error';
import { ErrorCode, languageOf, messageFor } from '../http/messages';
import { MaintenanceQueue } from '../jobs/maintenance-queue';

const idParams = z.object({ id: z.uuid() });
class IdParams extends createZodDto(idParams) {}

function view(pack: EvidencePackRow, request: Request): EvidencePack {
  return {
    id: pack.id,
    milestoneId: pack.milestoneId,
    milestoneCode: pack.milestoneCode,
    state: pack.state,
    progress: pack.progress,
    files: pack.files,
    sizeBytes: pack.sizeBytes,
    sha256: pack.sha256,
    error: pack.errorCode ? { code: pack.errorCode, message: messageFor(pack.errorCode as ErrorCode, languageOf(request), pack.errorParams ?? {}) } : null,
    requestedBy: pack.requestedLabel,
    createdAt: pack.createdAt,
    finishedAt: pack.finishedAt,
    downloadUrl: pack.state === 'done' ? `/api/evidence-packs/${pack.id}/download` : null,
  };
}

/** The file name of a pack: the milestone's code and the day it was made. */
function fileName(pack: EvidencePackRow): string {
  return `paket-bukti-${pack.milestoneCode.replace(/[^A-Za-z0-9._-]+/g, '_')}-${pack.createdAt.slice(0, 10)}.zip`;
}

/**
 * A milestone's evidence pack for the Inspektorat or an auditor: asked for here, built by a worker
 * (its progress on the pack), then streamed back from the database a megabyte at a time.
 */
@ApiTags('progress')
@Controller()
export class EvidencePacksController {
  constructor(
    private readonly packs: EvidencePacksService,
    private readonly queue: MaintenanceQueue,
  ) {}

  @Post('milestones/:id/evidence-pack')
  @Access('signed-in')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: "Make the milestone's evidence pack (ZIP): queued for a worker; the one already being made if there is one" })
  @ApiOkResponse({ description: 'EvidencePack' })
  async request(@Param() params: IdParams, @Audit() audit: AuditContext, @Req() request: Request): Promise<EvidencePack> {
    // Said before anything is written: without Redis there is no worker to build it.
    this.queue.assertConnected();
    const { pack, created } = await this.packs.request(params.id, audit);
    if (created) {
      try {
        await this.queue.enqueue('milestones.evidence-pack', { packId: pack.id });
      } catch (error) {
        await this.packs.abandon(pack.id);
        throw error;
      }
    }
    return view(pack, request);
  }

  @Get('evidence-packs/:id')
  @Access('signed-in')
  @ApiOperation({ summary: 'Where an evidence pack stands: queued, running (with progress), done (with its size, SHA-256 and download URL) or failed (with why)' })
  @ApiOkResponse({ description: 'EvidencePack' })
  async one(@Param() params: IdParams, @Req() request: Request): Promise<EvidencePack> {
    const pack = await this.packs.find(params.id);
    if (!pack) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return view(pack, request);
  }

  @Get('evidence-packs/:id/download')
  @Access('signed-in')
  @ApiProduces('application/zip')
  @ApiOperation({ summary: 'The evidence pack as a ZIP, streamed' })
  async download(@Param() params: IdParams, @Res() response: Response): Promise<void> {
    const pack = await this.packs.find(params.id);
    if (!pack) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    if (pack.state !== 'done') throw new ApiError('EVIDENCE_PACK_NOT_READY', HttpStatus.CONFLICT, { state: pack.state, progress: pack.progress });
    response.status(HttpStatus.OK);
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName(pack)}"`);
    response.setHeader('Content-Length', String(pack.sizeBytes ?? 0));
    if (pack.sha256) response.setHeader('Digest', `sha-256=${Buffer.from(pack.sha256, 'hex').toString('base64')}`);
    response.setHeader('Cache-Control', 'private, no-store');
    try {
      await this.packs.stream(pack.id, async (bytes) => {
        // A reader that went away ends it (a close), one that is slow holds it (a drain).
        if (!response.write(bytes)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              response.off('drain', done);
              response.off('close', done);
              resolve();
            };
            response.once('drain', done);
            response.once('close', done);
          });
        }
        return !response.destroyed;
      });
      response.end();
    } catch (error) {
      // The headers are gone: a cut connection is the only way left to say the ZIP is not whole.
      response.destroy(error as Error);
    }
  }
}
