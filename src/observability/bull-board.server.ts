import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type {
  AppControllerRoute,
  AppViewRoute,
  BullBoardQueues,
  ControllerHandlerReturnType,
  IServerAdapter,
  UIConfig,
} from '@bull-board/api/typings/app';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What the board's static files are served as (the UI ships scripts, styles, images and their licence notes). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/**
 * Fills Bull Board's entry template: `<%= name %>` HTML-escaped, `<%- name %>` as given (the board
 * escapes its JSON itself). Any other EJS construct fails the request rather than render half a
 * page, so a UI release that needs more is noticed at once.
 */
export function renderBoardTemplate(template: string, params: Readonly<Record<string, unknown>>): string {
  return template.replace(/<%([=-]?)\s*([\s\S]*?)\s*%>/g, (tag, mode: string, name: string) => {
    if (mode === '' || !/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`Bull Board's template has a construct this server does not render: ${tag}`);
    const value = params[name];
    const text = value === undefined || value === null ? '' : String(value);
    return mode === '-' ? text : text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
  });
}

/**
 * Bull Board's server side on Fastify, through `@bull-board/api`'s `IServerAdapter` (what
 * `createBullBoard` configures): the entry page and its client routes, the JSON API and the UI's
 * static files, registered by {@link register} in a scope of the caller's. It stands in for
 * `@bull-board/fastify`, whose `@fastify/static` requires an ES-module-only package
 * (`content-disposition` 3): Node 20.19+ loads that, Jest on Node below 24.9 cannot, and the e2e
 * suites boot this app under Jest.
 */
export class BullBoardFastifyServer implements IServerAdapter {
  private queues: BullBoardQueues | undefined;
  private viewsPath: string | undefined;
  private statics: { route: string; path: string } | undefined;
  private entryRoute: AppViewRoute | undefined;
  private apiRoutes: AppControllerRoute[] | undefined;
  private errorHandler: ((error: Error) => ControllerHandlerReturnType) | undefined;
  private uiConfig: UIConfig = {};
  private page: Promise<string> | undefined;

  /** @param basePath where the board is mounted, such as `/admin/queues` */
  constructor(private readonly basePath: string) {}

  setQueues(queues: BullBoardQueues): this {
    this.queues = queues;
    return this;
  }

  setViewsPath(viewsPath: string): this {
    this.viewsPath = viewsPath;
    return this;
  }

  setStaticPath(route: string, path: string): this {
    this.statics = { route, path: resolve(path) };
    return this;
  }

  setEntryRoute(route: AppViewRoute): this {
    this.entryRoute = route;
    return this;
  }

  setErrorHandler(handler: (error: Error) => ControllerHandlerReturnType): this {
    this.errorHandler = handler;
    return this;
  }

  setApiRoutes(routes: AppControllerRoute[]): this {
    this.apiRoutes = routes;
    return this;
  }

  setUIConfig(config: UIConfig = {}): this {
    this.uiConfig = config;
    return this;
  }

  /** Adds the board's routes to `scope`, which the caller registered with the board's path as its prefix. */
  register(scope: FastifyInstance): void {
    const { queues, statics, entryRoute, apiRoutes, errorHandler } = this;
    if (!queues || !statics || !entryRoute || !apiRoutes || !errorHandler || !this.viewsPath) {
      throw new Error('Bull Board is not configured: pass this server to createBullBoard before registering it');
    }
    const sendPage = async (_request: FastifyRequest, reply: FastifyReply) => {
      this.page ??= this.renderPage(entryRoute);
      return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(await this.page);
    };
    for (const method of [entryRoute.method].flat()) {
      for (const url of [entryRoute.route].flat()) scope.route({ method: method.toUpperCase(), url, handler: sendPage });
    }
    for (const route of apiRoutes) {
      for (const url of [route.route].flat()) {
        scope.route({
          method: [route.method].flat().map((method) => method.toUpperCase()),
          url,
          handler: async (request, reply) => {
            const response = await route.handler({
              queues,
              uiConfig: this.uiConfig,
              params: request.params as Record<string, unknown>,
              query: request.query as Record<string, unknown>,
              body: request.body as Record<string, unknown>,
              headers: request.headers as Record<string, string>,
            });
            return reply.code(response.status ?? 200).send(response.body);
          },
        });
      }
    }
    scope.get(`${statics.route}/*`, (request, reply) => this.sendStatic(statics.path, (request.params as { '*': string })['*'], reply));
    scope.setErrorHandler((error, _request, reply) => {
      const response = errorHandler(error instanceof Error ? error : new Error(String(error)));
      return reply.code(response.status ?? 500).send(response.body);
    });
  }

  private async renderPage(entryRoute: AppViewRoute): Promise<string> {
    const { name, params } = entryRoute.handler({ basePath: this.basePath, uiConfig: this.uiConfig });
    return renderBoardTemplate(await readFile(join(this.viewsPath!, name), 'utf8'), params);
  }

  /** One file under `root`; anything outside it, or not a file, is a 404. */
  private async sendStatic(root: string, relative: string, reply: FastifyReply): Promise<FastifyReply> {
    const file = resolve(root, relative);
    const type = CONTENT_TYPES[extname(file)];
    const found = type !== undefined && file.startsWith(root + sep) ? await stat(file).catch(() => undefined) : undefined;
    if (found === undefined || !found.isFile()) return reply.code(404).send({ statusCode: 404, message: 'Not Found' });
    // The UI's file names carry a content hash.
    return reply.type(type!).header('Content-Length', found.size).header('Cache-Control', 'public, max-age=86400').send(createReadStream(file));
  }
}
