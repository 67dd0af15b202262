import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import type { DemoAccountsAnswer, MeAnswer, SessionAnswer } from '@serat/contract';
import { ApiTokens, AuthService, ClientInfo, UsersRepository, ValidToken } from '@serat/domain';
import type { CookieOptions, Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { Access, AllowedBeforePasswordChange } from './access';
import { Client, CSRF_COOKIE, CurrentAuth, SESSION_COOKIE } from './request-auth';

const loginSchema = z.object({
  login: z.string().trim().min(1).max(200).describe('Email or username'),
  password: z.string().min(1).max(200),
  client: z.enum(['browser', 'api']).default('browser').describe('browser: session cookie + CSRF token; api: access and refresh tokens'),
});
class LoginDto extends createZodDto(loginSchema) {}

const refreshSchema = z.object({ refreshToken: z.string().min(1).max(200) });
class RefreshDto extends createZodDto(refreshSchema) {}

const passwordSchema = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });
class PasswordDto extends createZodDto(passwordSchema) {}

const tokenSchema = z.object({
  name: z.string().trim().min(1).max(100).describe('What the token is for, e.g. "export script"'),
  expiresInDays: z.number().int().min(1).max(365).optional(),
});
class TokenDto extends createZodDto(tokenSchema) {}

const tokenIdSchema = z.object({ id: z.uuid() });
class TokenIdParams extends createZodDto(tokenIdSchema) {}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  private cookieOptions(request: Request, httpOnly: boolean, expires?: Date): CookieOptions {
    const secure = this.config.auth.cookieSecure === 'auto' ? request.secure : this.config.auth.cookieSecure === 'true';
    return { httpOnly, secure, sameSite: 'lax', path: '/', ...(expires ? { expires } : {}) };
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Access('public')
  @ApiOperation({ summary: 'Sign in with email or username and password: a browser session (cookie) or API tokens' })
  async login(
    @Body() body: LoginDto,
    @Client() client: ClientInfo,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionAnswer<Date> | ApiTokens> {
    if (body.client === 'api') return this.auth.loginApi(body.login, body.password, client);
    const session = await this.auth.loginBrowser(body.login, body.password, client);
    response.cookie(SESSION_COOKIE, session.sessionToken, this.cookieOptions(request, true, session.expiresAt));
    response.cookie(CSRF_COOKIE, session.csrfToken, this.cookieOptions(request, false, session.expiresAt));
    return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Access('public')
  @ApiOperation({ summary: 'Trade a refresh token for a new access and refresh token (the old pair stops working)' })
  refresh(@Body() body: RefreshDto, @Client() client: ClientInfo) {
    return this.auth.refresh(body.refreshToken, client);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('signed-in')
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'End this session, or revoke this access token with its refresh token' })
  async logout(@CurrentAuth() token: ValidToken, @Client() client: ClientInfo, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    await this.auth.logout(token, client);
    response.clearCookie(SESSION_COOKIE, this.cookieOptions(request, true));
    response.clearCookie(CSRF_COOKIE, this.cookieOptions(request, false));
  }

  @Get('me')
  @Access('signed-in')
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'The signed-in user' })
  me(@CurrentAuth() token: ValidToken): MeAnswer {
    return { user: token.user };
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('signed-in')
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: "Change one's own password; every other session and token ends" })
  async changePassword(@Body() body: PasswordDto, @CurrentAuth() token: ValidToken, @Client() client: ClientInfo) {
    await this.auth.changePassword(token, body.currentPassword, body.newPassword, client);
  }

  @Post('tokens')
  @Access('signed-in')
  @ApiOperation({ summary: "A personal API token for scripts, with the caller's role; shown once" })
  createToken(@Body() body: TokenDto, @CurrentAuth() token: ValidToken, @Client() client: ClientInfo) {
    return this.auth.createPersonalToken(token.user, body.name, body.expiresInDays, client);
  }

  @Get('tokens')
  @Access('signed-in')
  @ApiOperation({ summary: "The caller's personal API tokens that still work (never the secrets)" })
  async listTokens(@CurrentAuth() token: ValidToken) {
    return { tokens: await this.auth.listPersonalTokens(token.user) };
  }

  @Delete('tokens/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('signed-in')
  @ApiOperation({ summary: "Revoke one of the caller's personal API tokens" })
  async revokeToken(@Param() params: TokenIdParams, @CurrentAuth() token: ValidToken, @Client() client: ClientInfo) {
    await this.auth.revokePersonalToken(token.user, params.id, client);
  }

  @Get('demo-accounts')
  @Access('public')
  @ApiOperation({ summary: 'Demo installations only: the demo accounts with their generated passwords' })
  async demoAccounts(): Promise<DemoAccountsAnswer> {
    const accounts = this.config.env === 'production' ? [] : await this.users.listDemoAccounts();
    if (accounts.length === 0) throw new ApiError('NOT_FOUND', HttpStatus.NOT_FOUND);
    return { accounts };
  }
}
