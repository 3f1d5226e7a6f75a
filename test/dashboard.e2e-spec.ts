import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testRedisUrl } from '../libs/amity-webhook/test/support/test-redis.js';
import { membershipEvent, messageEvent, webhookBody } from './support/amity-payload.factory.js';
import { startSampleApp, type SampleApp } from './support/sample-app.harness.js';
import { postSigned } from './support/webhook.client.js';

const SECRET = 'dashboard-e2e-secret';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots land here (git-ignored). */
const TEST_OUTPUT_DIR = join(process.cwd(), 'test-output');

/** Opens the dashboard in a fresh page and records every console error and uncaught exception. */
async function openDashboard(browser: Browser, url: string, credentials?: { username: string; password: string }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, httpCredentials: credentials });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

/** Waits until the element's whole text is `text` (the page polls every two seconds). */
function waitForText(page: Page, selector: string, text: string, timeout = 10_000): Promise<void> {
  const exactly = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator(selector, { hasText: exactly }).waitFor({ timeout });
}

/** The rows of the "by event type" table, as `event -> count`. */
async function countsByEvent(page: Page): Promise<Record<string, number>> {
  const rows = await Promise.all((await page.locator('#by-event tbody tr').all()).map((row) => row.locator('td').allTextContents()));
  return Object.fromEntries(rows.filter((cells) => cells.length === 2).map(([event, n]) => [event, Number(n)]));
}

describe('dashboard in a real browser (Chromium through playwright-core)', () => {
  let browser: Browser;
  let sample: SampleApp | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  }, 60_000);
  afterAll(() => browser?.close());
  afterEach(async () => {
    await sample?.app.close();
    sample = undefined;
  });

  it('shows accepted events by type and count, the request counters and the moderation flags, live and without console errors', async () => {
    sample = await startSampleApp({ AMITY_WEBHOOK_SECRETS: SECRET, MODERATION_BANNED_WORDS: 'scam' });
    const { page, errors, close } = await openDashboard(browser, `${sample.url}/`);
    try {
      await waitForText(page, '#mode', 'in-memory queue');

      const duplicated = messageEvent({ text: 'hello' });
      const deliveries = [
        duplicated,
        duplicated,
        messageEvent({ text: 'this is a SCAM', userId: 'user-mallory', channelId: 'channel-market' }),
        messageEvent({ text: 'bye' }),
        membershipEvent('channel.didJoin', 'channel-general', ['user-ada']),
        membershipEvent('channel.didJoin', 'channel-general', ['user-bob']),
        webhookBody('story.didCreate', { stories: [{ storyId: 's-1' }] }),
      ];
      for (const body of deliveries) expect((await postSigned(sample.url, body, SECRET)).status).toBe(200);
      expect((await postSigned(sample.url, messageEvent(), 'forged')).status).toBe(401);
      await sample.dispatcher.onIdle();

      // The page polls every two seconds: wait for the figures rather than sleep.
      await waitForText(page, '#total-accepted', '6', 10_000);
      expect(await countsByEvent(page)).toEqual({ 'message.didCreate': 3, 'channel.didJoin': 2, other: 1 });
      expect(await page.locator('#total-duplicate').textContent()).toBe('1');
      expect(await page.locator('#total-rejected').textContent()).toBe('1');
      expect(await page.locator('#backlog').textContent()).toBe('0');
      // One bar per event type in the current minute, and a legend naming them.
      expect(await page.locator('#chart rect').count()).toBe(3);
      expect(await page.locator('#legend span').allTextContents()).toEqual(['message.didCreate', 'channel.didJoin', 'other']);
      await page.locator('#flags tbody td', { hasText: 'user-mallory' }).waitFor({ timeout: 10_000 });
      expect(await page.locator('#flags tbody tr').first().textContent()).toContain('user-mallory');
      expect(await page.locator('#dead-letters-panel').isHidden()).toBe(true);

      await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'dashboard.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('asks for the admin credentials when they are set, and works with them', async () => {
    process.env['ADMIN_USERNAME'] = 'ops';
    process.env['ADMIN_PASSWORD'] = 'pass word';
    try {
      sample = await startSampleApp({ AMITY_WEBHOOK_SECRETS: SECRET });
    } finally {
      delete process.env['ADMIN_USERNAME'];
      delete process.env['ADMIN_PASSWORD'];
    }
    const anonymous = await browser.newContext();
    try {
      // Headless Chromium has no one to ask: the 401 challenge ends the navigation.
      await expect((await anonymous.newPage()).goto(`${sample.url}/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    } finally {
      await anonymous.close();
    }
    const { page, errors, close } = await openDashboard(browser, `${sample.url}/`, { username: 'ops', password: 'pass word' });
    try {
      await waitForText(page, '#mode', 'in-memory queue');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('lists dead letters in durable mode and replays them with the button', async () => {
    const spool = await mkdtemp(join(tmpdir(), 'amity-dashboard-spool-'));
    try {
      sample = await startSampleApp({
        AMITY_WEBHOOK_SECRETS: SECRET,
        AMITY_WEBHOOK_REDIS_URL: await testRedisUrl(),
        AMITY_WEBHOOK_QUEUE_PREFIX: `dashboard-${process.pid}-${Date.now()}`,
        AMITY_WEBHOOK_SPOOL_DIR: spool,
      });
      // A listener that fails until it is told otherwise: its last attempt ends in the failed set.
      let failing = true;
      const succeeded: string[] = [];
      sample.app.get(EventEmitter2).on('amity.channel.didLeave', (event: { id: string }) => {
        if (failing) throw new Error('the CRM is down');
        succeeded.push(event.id);
      });
      const { page, errors, close } = await openDashboard(browser, `${sample.url}/`);
      try {
        await waitForText(page, '#mode', 'durable (BullMQ)');
        expect((await postSigned(sample.url, membershipEvent('channel.didLeave', 'channel-general', ['user-ada']), SECRET)).status).toBe(200);
        await waitForText(page, '#dead-letters-total', '1', 20_000);
        const row = page.locator('#dead-letters tbody tr').first();
        expect(await row.textContent()).toContain('amity.channel.didLeave');
        expect(await row.textContent()).toContain('the CRM is down');
        await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'dashboard-durable.png'), fullPage: true });

        failing = false;
        await row.getByRole('button', { name: 'Replay' }).click();
        await waitForText(page, '#replay-status', 'replayed 1 of 1', 10_000);
        await waitForText(page, '#dead-letters-total', '0', 20_000);
        await sample.dispatcher.onIdle();
        expect(succeeded).toHaveLength(1);
        expect(await page.locator('#total-failed').textContent()).toBe('3');
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    } finally {
      await sample?.app.close();
      sample = undefined;
      await rm(spool, { recursive: true, force: true });
    }
  }, 90_000);
});
