import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NewUserBody, UserAnswer, UserChanges, UsersPage } from '@serat/contract';
import { AuditContext, ROLES, UsersRepository, UsersService } from '@serat/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Audit } from '../auth/request-auth';

const kecamatanCodes = z
  .array(z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, { error: 'must be a kecamatan code like 62.02.05' }))
  .max(100)
  .nullable()
  .describe('Technicians only: the kecamatan they may work in; null for everywhere');

const createSchema = z.object({
  email: z.email().max(200),
  username: z.string().regex(/^[a-z0-9._-]{3,40}$/i, { error: 'must be 3-40 letters, digits, dots, dashes or underscores' }),
  displayName: z.string().trim().min(1).max(120),
  role: z.enum(ROLES),
  password: z.string().min(1).max(200).optional().describe('Leave out to generate a temporary password that must be changed at first sign-in'),
  kecamatanCodes: kecamatanCodes.optional(),
});
class CreateUserDto extends createZodDto(createSchema) {}

const updateSchema = z
  .object({
    displayName: z.string().trim().min(1).max(120),
    role: z.enum(ROLES),
    kecamatanCodes,
    active: z.boolean(),
    resetPassword: z.literal(true).describe('Generate a new temporary password (returned once); the user must change it'),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { error: 'name at least one field to change' });
class UpdateUserDto extends createZodDto(updateSchema) {}

const listSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().max(40).optional(),
  q: z.string().trim().max(100).optional().describe('Only users whose username, email or name contains this'),
});
class ListUsersDto extends createZodDto(listSchema) {}

const idSchema = z.object({ id: z.uuid() });
class UserIdParams extends createZodDto(idSchema) {}

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly service: UsersService,
  ) {}

  @Get()
  @Access(['admin'])
  @ApiOperation({ summary: 'Users, by username, paged; q searches username, email and name' })
  async list(@Query() query: ListUsersDto): Promise<UsersPage<Date>> {
    const page = await this.users.list(query.limit, query.after, query.q || undefined);
    return { users: page.users, next: page.nextCursor };
  }

  @Post()
  @Access(['admin'])
  @ApiOperation({ summary: 'Create a user; without a password, a temporary one is returned once' })
  create(@Body() body: CreateUserDto, @Audit() audit: AuditContext): Promise<UserAnswer<Date>> {
    // What the schema accepts must be the contract's body: a field the contract names otherwise fails here.
    return this.service.create(body satisfies NewUserBody, audit);
  }

  @Patch(':id')
  @Access(['admin'])
  @ApiOperation({ summary: 'Change role, name, kecamatan scope or active state, or reset the password' })
  update(@Param() params: UserIdParams, @Body() body: UpdateUserDto, @Audit() audit: AuditContext): Promise<UserAnswer<Date>> {
    return this.service.update(params.id, body satisfies UserChanges, audit);
  }
}
