// Parent side: one contender per child process, driven over IPC (see servers/harness.js).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVERS = fileURLToPath(new URL('../servers/', import.meta.url));
const BOOT_TIMEOUT_MS = 60_000;
/** Servers not yet exited, for {@link killAllServers}. */
const live = new Set();

/** Kills every server still running (an interrupted run) and resolves once they are gone. */
export function killAllServers() {
  return Promise.all(
    [...live].map((child) => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return gone;
    }),
  );
}
const COMMAND_TIMEOUT_MS = 120_000;

/**
 * Starts `bench/servers/<name>.js` and resolves once it listens.
 * @param {string} name server file name without `.js`
 * @param {{ execArgv?: string[], env?: object, logFd?: number, label?: string, nice?: number }} options
 *   `nice`: the server runs under `nice -n <nice>`, all its threads (the collector's included), as
 *   the README advises for a worker beside a receiver; a `setPriority` from inside would lower the
 *   main thread only
 */
export function startServer(name, { execArgv = [], env = {}, logFd, label = name, nice } = {}) {
  const output = logFd ?? 'ignore';
  // AMITY_BENCH_CPU_PROF=<dir>: every server writes a V8 CPU profile there when it stops.
  const profile = process.env.AMITY_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AMITY_BENCH_CPU_PROF}`] : [];
  // AMITY_BENCH_NODE_FLAGS="--trace-gc ...": V8 and Node flags for every server (NODE_OPTIONS refuses some).
  const nodeFlags = process.env.AMITY_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const flags = [...execArgv, ...profile, ...nodeFlags];
  const child = fork(`${SERVERS}${name}.js`, [], {
    ...(nice === undefined ? { execArgv: flags } : { execPath: 'nice', execArgv: ['-n', String(nice), process.execPath, ...flags] }),
    env: { ...process.env, ...env },
    stdio: ['ignore', output, output, 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const waiting = new Map();
  let nextId = 1;
  let exited = false;
  let expectedExit = false;

  return new Promise((resolve, reject) => {
    const bootTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label}: did not start within ${BOOT_TIMEOUT_MS} ms`));
    }, BOOT_TIMEOUT_MS);

    child.on('exit', (code, signal) => {
      exited = true;
      clearTimeout(bootTimer);
      const error = new Error(`${label}: server process exited (code ${code}, signal ${signal})`);
      for (const { reject: fail, timer } of waiting.values()) {
        clearTimeout(timer);
        fail(error);
      }
      waiting.clear();
      if (!expectedExit) {
        handle.crashed = error;
        reject(error);
      }
    });

    child.on('message', (message) => {
      if (message?.ready) {
        clearTimeout(bootTimer);
        handle.port = message.port;
        handle.pid = message.pid;
        resolve(handle);
        return;
      }
      const entry = waiting.get(message?.id);
      if (!entry) return;
      waiting.delete(message.id);
      clearTimeout(entry.timer);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new Error(`${label}: ${message.error}`));
    });

    const handle = {
      name: label,
      port: 0,
      pid: 0,
      crashed: undefined,
      /** Sends a harness command and resolves with its result. */
      call(cmd, args) {
        if (exited) return Promise.reject(handle.crashed ?? new Error(`${label}: server is not running`));
        const id = nextId++;
        return new Promise((res, rej) => {
          const timer = setTimeout(() => {
            waiting.delete(id);
            rej(new Error(`${label}: ${cmd} timed out`));
          }, COMMAND_TIMEOUT_MS);
          waiting.set(id, { resolve: res, reject: rej, timer });
          child.send({ id, cmd, args });
        });
      },
      /** Asks the child to exit (so --cpu-prof can write) and waits; kills it if it hangs. */
      async stop() {
        if (exited) return;
        expectedExit = true;
        const gone = new Promise((res) => child.once('exit', res));
        handle.call('exit').catch(() => {});
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      },
    };
  });
}
