import { Controller, Get, HttpStatus, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UploadedPhoto } from '@serat/contract';
import { AuditContext, FIELD_ROLES, PHOTO_MAX_BYTES, PhotosService, ValidToken } from '@serat/domain';
import type { Response } from 'express';
import { memoryStorage } from 'multer';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit, CurrentAuth } from '../auth/request-auth';
import { ApiError } from '../http/api-error';

const idParams = z.object({ id: z.uuid() });
class IdParams extends createZodDto(idParams) {}

/** Photos as evidence: uploaded first, then named by id in a status change. */
@ApiTags('evidence')
@Controller('photos')
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  @Post()
  @Access(FIELD_ROLES)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { photo: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: `Upload a photo (JPEG, PNG or WebP, at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB); EXIF position and time are read` })
  // Uploads have their own limit, separate from the 1 MiB of JSON bodies; one file per request.
  @UseInterceptors(FileInterceptor('photo', { storage: memoryStorage(), limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 5 } }))
  upload(@UploadedFile() file: Express.Multer.File | undefined, @CurrentAuth() token: ValidToken, @Audit() audit: AuditContext): Promise<UploadedPhoto> {
    if (!file) throw new ApiError('VALIDATION_FAILED', HttpStatus.BAD_REQUEST, [{ field: 'photo', problem: 'send the photo as multipart/form-data field "photo"' }]);
    return this.photos.upload(file.buffer, token.user.id, audit);
  }

  @Get(':id')
  @Access('signed-in')
  @ApiOperation({ summary: 'The photo as uploaded' })
  async original(@Param() params: IdParams, @Res() response: Response) {
    await this.send(params.id, false, response);
  }

  @Get(':id/thumbnail')
  @Access('signed-in')
  @ApiOperation({ summary: 'A 320-pixel WebP thumbnail' })
  async thumbnail(@Param() params: IdParams, @Res() response: Response) {
    await this.send(params.id, true, response);
  }

  private async send(id: string, thumbnail: boolean, response: Response) {
    const file = await this.photos.file(id, thumbnail);
    if (!file) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    response.setHeader('Content-Disposition', 'inline');
    response.send(file.bytes);
  }
}
