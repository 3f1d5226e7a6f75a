import { BadRequestException, Body, Controller, Get, Header, Headers, HttpCode, NotFoundException, Post, UseGuards } from '@nestjs/common';
import { AdminAccessGuard } from './admin-access.guard.js';
import type { DashboardSnapshot } from './dashboard-snapshot.interface.js';
import { DASHBOARD_CSP, DASHBOARD_HTML, DASHBOARD_SCRIPT } from './dashboard.page.js';
import { DashboardService, type DashboardReplayFilter } from './dashboard.service.js';

/**
 * The operator's dashboard: `GET /` (the page), `GET /dashboard/app.js` (its script),
 * `GET /dashboard/data` (what it polls) and `POST /dashboard/replay` (durable mode), all behind
 * `AdminAccessGuard`.
 */
@Controller()
@UseGuards(AdminAccessGuard)
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('Cache-Control', 'no-store')
  page(): string {
    return DASHBOARD_HTML;
  }

  @Get('dashboard/app.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  script(): string {
    return DASHBOARD_SCRIPT;
  }

  @Get('dashboard/data')
  @Header('Cache-Control', 'no-store')
  data(): Promise<DashboardSnapshot> {
    return this.dashboard.snapshot();
  }

  /**
   * Replays dead letters (all, or those of one event and listener). JSON only: a cross-site form
   * cannot send it, and a cross-site script needs a CORS preflight this app never grants.
   */
  @Post('dashboard/replay')
  @HttpCode(200)
  async replay(@Headers('content-type') contentType: string | undefined, @Body() body: unknown): Promise<{ matched: number; replayed: number }> {
    if (!/^application\/json\b/i.test(contentType ?? '')) throw new BadRequestException('send the filter as application/json');
    const filter = parseFilter(body);
    const result = await this.dashboard.replay(filter);
    if (result === undefined) throw new NotFoundException('there are no dead letters to replay with the in-memory queue');
    return { matched: result.matched.length, replayed: result.replayed };
  }
}

function parseFilter(body: unknown): DashboardReplayFilter {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('the filter must be an object');
  const { event, listener } = body as Record<string, unknown>;
  for (const [name, value] of Object.entries({ event, listener })) {
    if (value !== undefined && (typeof value !== 'string' || value === '' || value.length > 200)) {
      throw new BadRequestException(`\`${name}\` must be a non-empty string`);
    }
  }
  return { event: event as string | undefined, listener: listener as string | undefined };
}
