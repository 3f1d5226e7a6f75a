import { randomBytes } from 'node:crypto';
import { access, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AmityEnqueueOutcome } from '../amity-delivery.queue.js';
import type { AmityDeliveryJobData } from './amity-bullmq.jobs.js';

const SUFFIX = '.json';

/**
 * Deliveries accepted while Redis was away, one file per delivery id in a local directory.
 * A file appears whole (written to a temporary name, fsynced, renamed, directory fsynced) before
 * `write` resolves, so what the sender was acknowledged for survives a crash of the process or
 * the machine. Files are removed only after Redis took their delivery.
 */
export class AmityDeliverySpool {
  constructor(readonly dir: string) {}

  /** Creates the directory and proves it writable, so a bad `spoolDir` fails the boot, not an outage. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const probe = join(this.dir, `.probe-${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
  }

  /** Stores a delivery durably; `duplicate` when the spool already holds its id. */
  async write(data: AmityDeliveryJobData): Promise<AmityEnqueueOutcome> {
    const file = join(this.dir, fileName(data.id));
    if (await exists(file)) return 'duplicate';
    const temporary = join(this.dir, `.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(JSON.stringify(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    // The rename is durable only once the directory entry is on disk too.
    const directory = await open(this.dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return 'accepted';
  }

  /** Names of the spooled deliveries (not paths). */
  async list(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names.filter((name) => name.endsWith(SUFFIX) && !name.startsWith('.'));
  }

  async read(name: string): Promise<AmityDeliveryJobData> {
    return JSON.parse(await readFile(join(this.dir, name), 'utf8')) as AmityDeliveryJobData;
  }

  /** Forgets a delivery once Redis holds it. */
  async remove(name: string): Promise<void> {
    await unlink(join(this.dir, name)).catch((error: NodeJS.ErrnoException) => {
      // Another process draining the same directory got there first.
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** Sets aside a file that cannot be read back, so that it neither blocks the drain nor is lost. */
  async quarantine(name: string): Promise<string> {
    const target = `${name}.unreadable`;
    await rename(join(this.dir, name), join(this.dir, target));
    return join(this.dir, target);
  }
}

/** Delivery ids are base64url; anything else is escaped so that it cannot leave the directory or hide. */
function fileName(id: string): string {
  return `d-${encodeURIComponent(id)}${SUFFIX}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
