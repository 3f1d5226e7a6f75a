import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /**
   * Write every command to an append-only file, fsynced on each write, so that data survives
   * `kill()` (SIGKILL) as well as `stop()`.
   * @default false
   */
  appendOnly?: boolean;
  /**
   * Port to listen on (loopback only).
   * @default a free port chosen by the system
   */
  port?: number;
  /**
   * Working directory of the server (RDB and AOF files).
   * @default a new temporary directory, removed by `stop()`
   */
  dir?: string;
}

/** A `redis-server` child process started by {@link startRedisServer}. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The loopback port the server listens on; `restart()` keeps it. */
  readonly port: number;
  /** Working directory (data files); `restart()` keeps it. */
  readonly dir: string;
  /**
   * Graceful shutdown (SIGTERM), waiting for the process to exit; the end of this server: its
   * temporary directory is removed. Call it in `afterAll`, also after `kill()`.
   */
  stop(): Promise<void>;
  /**
   * SIGKILL, as a crash would, waiting for the process to exit. The directory stays for
   * `restart()`; only append-only data survives.
   */
  kill(): Promise<void>;
  /** SIGSTOP: the server stops answering while its connections stay open. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /**
   * Stops the server if it runs (gracefully, which saves a snapshot), then starts it again on the
   * same port and directory, with its data.
   */
  restart(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const PING_TIMEOUT_MS = 1_000;

/**
 * Children still alive and temporary directories, cleaned up synchronously when the test process
 * exits (a directory outlives `stop()` so that `restart()` finds its data). Kept on `globalThis`
 * because Jest loads this module afresh for every suite of a worker, and one `exit` hook per
 * process is enough.
 */
interface Leftovers {
  children: Set<ChildProcess>;
  dirs: Set<string>;
}
const LEFTOVERS = Symbol.for('amity-webhook.test.redis-servers');
const leftovers: Leftovers = ((globalThis as Record<symbol, Leftovers | undefined>)[LEFTOVERS] ??= (() => {
  const state: Leftovers = { children: new Set(), dirs: new Set() };
  process.once('exit', () => {
    for (const child of state.children) child.kill('SIGKILL');
    for (const dir of state.dirs) rmSync(dir, { recursive: true, force: true });
  });
  return state;
})());

/**
 * Starts `redis-server` from PATH on a loopback port with its own directory and waits until it
 * answers PING. Nothing waits forever: the start fails after 10 s with the server's own output.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'amity-redis-')));
  if (ownsDir) leftovers.dirs.add(dir);
  // A port picked here can be taken by someone else before redis binds it: try another one then.
  let attempt = 0;
  for (;;) {
    const port = options.port ?? (await freeLoopbackPort());
    try {
      const child = await launch(port, dir, options.appendOnly === true);
      return new RedisServer(child, port, dir, ownsDir, options.appendOnly === true);
    } catch (error) {
      attempt += 1;
      const portTaken = error instanceof Error && /address already in use/i.test(error.message);
      if (!portTaken || options.port !== undefined || attempt >= 3) {
        if (ownsDir) {
          leftovers.dirs.delete(dir);
          await rm(dir, { recursive: true, force: true });
        }
        throw error;
      }
    }
  }
}

/**
 * Resolves when a Redis server at `url` answers PING within `timeoutMs`, rejects otherwise. Makes
 * one connection attempt, with no retries and no offline queue, so it never hangs.
 */
export async function pingRedis(url: string, timeoutMs = PING_TIMEOUT_MS): Promise<void> {
  const answer = await oneShot(url, timeoutMs, (client) => client.ping());
  if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
}

class RedisServer implements RedisServerHandle {
  readonly url: string;

  constructor(
    private child: ChildProcess | undefined,
    readonly port: number,
    readonly dir: string,
    private readonly ownsDir: boolean,
    private readonly appendOnly: boolean,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await this.terminate('SIGTERM');
    if (this.ownsDir) {
      leftovers.dirs.delete(this.dir);
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  async kill(): Promise<void> {
    await this.terminate('SIGKILL');
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    await this.terminate('SIGTERM');
    this.child = await launch(this.port, this.dir, this.appendOnly);
  }

  private async terminate(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || exited(child)) return;
    const exit = waitForExit(child);
    // A stopped process would hold SIGTERM until it is continued.
    child.kill('SIGCONT');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      await exit;
    } finally {
      clearTimeout(timer);
    }
  }
}

async function launch(port: number, dir: string, appendOnly: boolean): Promise<ChildProcess> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--daemonize', 'no',
    '--logfile', '',
    // A graceful stop saves an RDB snapshot (restart() keeps the data); a save point this far away
    // never triggers a background save during a test.
    '--save', '3600 1',
    '--appendonly', appendOnly ? 'yes' : 'no',
    ...(appendOnly ? ['--appendfsync', 'always'] : []),
  ];
  let child: ChildProcess;
  try {
    child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw notStarted(port, error);
  }
  leftovers.children.add(child);
  child.once('exit', () => leftovers.children.delete(child));
  watchOverParent(child);
  // Neither the server nor its pipes keep a test process alive; the 'exit' hook kills it.
  child.unref();
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      output.push(chunk);
      if (output.length > 50) output.shift();
    });
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }

  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(notStarted(port, error)));
    child.once('exit', (code, signal) =>
      reject(new Error(`redis-server on port ${port} exited (${signal ?? code}) before answering PING:\n${output.join('')}`)),
    );
  });
  spawnError.catch(() => undefined);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      // Another server on that port would answer PING too: only our own process id counts.
      const ready = await Promise.race([serverPid(url).then((pid) => pid === child.pid, () => false), spawnError]);
      if (ready) return child;
      if (Date.now() > deadline) {
        throw new Error(`redis-server on port ${port} did not answer PING within ${START_TIMEOUT_MS} ms:\n${output.join('')}`);
      }
      await Promise.race([delay(25), spawnError]);
    }
  } catch (error) {
    if (!exited(child)) {
      child.kill('SIGKILL');
      await waitForExit(child);
    }
    throw error;
  }
}

/** The process id a Redis server reports (INFO server), one attempt, never hanging. */
async function serverPid(url: string): Promise<number> {
  const info = await oneShot(url, 500, (client) => client.info('server'));
  return Number(/^process_id:(\d+)/m.exec(info)?.[1]);
}

/**
 * Connects once (no retries, no offline queue), runs `use` and disconnects, all within `timeoutMs`.
 * The deadline is our own timer, cleared on the way out: ioredis' `commandTimeout` leaves its
 * timer running when the connection fails, which keeps a test process alive.
 */
async function oneShot<T>(url: string, timeoutMs: number, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    // disconnect() otherwise keeps a 2 s timer in case the socket does not close by itself.
    disconnectTimeout: 0,
  });
  // connect() only says "Connection is closed."; the 'error' event has the reason (ECONNREFUSED...).
  let socketError: Error | undefined;
  client.on('error', (error: Error) => (socketError = error));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const connected = client.connect().catch((error: unknown) => {
    throw socketError ?? error;
  });
  try {
    return await Promise.race([connected.then(() => use(client)), deadline]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/**
 * Kills the server if this process dies without stopping it (a crashed or SIGKILLed Jest worker),
 * which the `exit` hook cannot see: a shell loop, not tied to this process, checks once a second
 * that both are alive. It ends with the server.
 */
function watchOverParent(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const script = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null';
  const watchdog = spawn('/bin/sh', ['-c', script, 'amity-redis-watchdog', String(process.pid), String(child.pid)], { stdio: 'ignore' });
  watchdog.on('error', () => undefined);
  watchdog.unref();
}

function notStarted(port: number, cause: unknown): Error {
  const missing = (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return new Error(
    missing
      ? 'redis-server was not found on PATH (Debian: apt-get install redis-server)'
      : `redis-server could not be started on port ${port}: ${String(cause)}`,
    { cause },
  );
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port that was free on 127.0.0.1 a moment ago (the system picks it). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
