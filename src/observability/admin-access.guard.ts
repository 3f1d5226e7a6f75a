import {
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type HttpException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ADMIN_AUTH_CHALLENGE, ADMIN_PASSWORD_ENV, ADMIN_USERNAME_ENV, adminAccessFromEnv, decideAdminAccess, type AdminAccess } from './admin-access.config.js';

/** The request fields the guard reads (Fastify's and Express's requests both have them). */
export interface AdminRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly socket?: { readonly remoteAddress?: string };
}

/** The reply, to set the challenge header on (Fastify's `header`, Express's `setHeader`). */
interface AdminReply {
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/**
 * Guards the dashboard, its data, the replay action and Bull Board (see `AdminAccess`). The
 * client address is the socket's: a proxy in front makes every client look local, so put
 * credentials on any deployment that is reachable from elsewhere.
 */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  /** The settings, read once at boot. */
  readonly access: AdminAccess;

  constructor(config: ConfigService) {
    this.access = adminAccessFromEnv(config.get<string>(ADMIN_USERNAME_ENV), config.get<string>(ADMIN_PASSWORD_ENV), config.get<string>('NODE_ENV'));
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const refusal = this.refusalFor(http.getRequest<AdminRequest>());
    if (refusal === undefined) return true;
    if (refusal.getStatus() === 401) {
      const reply = http.getResponse<AdminReply>();
      if (reply.header) reply.header('WWW-Authenticate', ADMIN_AUTH_CHALLENGE);
      else reply.setHeader?.('WWW-Authenticate', ADMIN_AUTH_CHALLENGE);
    }
    throw refusal;
  }

  /**
   * What an admin page answers this request with: `undefined` to serve it, or the error to send
   * (a `401` also carries the `WWW-Authenticate: ADMIN_AUTH_CHALLENGE` header). Shared by the
   * dashboard and Bull Board, so that both refuse alike.
   */
  refusalFor(request: AdminRequest): HttpException | undefined {
    const authorization = request.headers['authorization'];
    const decision = decideAdminAccess(this.access, request.socket?.remoteAddress, Array.isArray(authorization) ? authorization[0] : authorization);
    if (decision === 'allow') return undefined;
    if (decision === 404) return new NotFoundException();
    if (decision === 403) {
      return new ForbiddenException(`The admin pages are open to this machine only: set ${ADMIN_USERNAME_ENV} and ${ADMIN_PASSWORD_ENV} to open them to others`);
    }
    return new UnauthorizedException();
  }
}
