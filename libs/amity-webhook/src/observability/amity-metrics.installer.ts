import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import type { AmityWebhookStats } from '../stats/amity-webhook.stats.js';
import { amityEventLabel, amityListenerLabel } from './amity-metric.labels.js';
import { AMITY_METRIC_NAMES } from './amity-metric.names.js';

/** The subset of prom-client the metrics are built with (the host's copy, loaded on demand). */
export type AmityPromClient = Pick<typeof import('prom-client'), 'Counter' | 'Gauge' | 'Histogram'>;


/** Acknowledgement buckets around social.plus's 1.5 s budget. */
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5];
/** A scrape must not hang on a Redis that does not answer: the gauge then reads NaN (unknown). */
const GAUGE_READ_TIMEOUT_MS = 1_000;

/** Where the gauges read their values when scraped. */
export interface AmityMetricSources {
  readonly stats: AmityWebhookStats;
  /** Deliveries accepted and not finished. */
  backlog(): number | Promise<number>;
  /** Dead letters (durable mode only: the gauge exists only then). */
  readonly deadLetters?: () => Promise<number>;
}

/** Metrics registered on a registry; `uninstall` removes them and stops observing. */
export interface AmityInstalledMetrics {
  uninstall(): void;
}

/**
 * Registers the module's metrics on `registry` and feeds them from the pipeline's observer. Label
 * values stay bounded: events outside the catalogue are folded (see `amityEventLabel`), statuses
 * are the module's own, listeners are the host's `Class.method`.
 */
export function installAmityMetrics(prom: AmityPromClient, registry: Registry, sources: AmityMetricSources): AmityInstalledMetrics {
  for (const name of Object.values(AMITY_METRIC_NAMES)) {
    if (registry.getSingleMetric(name) !== undefined) {
      throw new AmityWebhookConfigError(
        `the metric ${name} is already registered on this registry: give each app its own (metrics: { registry }).`,
      );
    }
  }
  const registers = [registry];
  const requests: Counter<'outcome' | 'status'> = new prom.Counter({
    name: AMITY_METRIC_NAMES.requests,
    help: 'Requests answered by the webhook route, by outcome (accepted, duplicate, legacy_duplicate, rejected, refused) and HTTP status.',
    labelNames: ['outcome', 'status'],
    registers,
  });
  const ackDuration: Histogram = new prom.Histogram({
    name: AMITY_METRIC_NAMES.ackDuration,
    help: 'Seconds from the start of a webhook request to its answer written.',
    buckets: ACK_BUCKETS,
    registers,
  });
  const dispatched: Counter<'event'> = new prom.Counter({
    name: AMITY_METRIC_NAMES.dispatched,
    help: 'Deliveries whose listeners all finished, by event (wire name; names outside the catalogue as "other").',
    labelNames: ['event'],
    registers,
  });
  const invalid: Counter<'event'> = new prom.Counter({
    name: AMITY_METRIC_NAMES.invalid,
    help: 'Signed deliveries that failed validation (emitted as amity-webhook.invalid), by event.',
    labelNames: ['event'],
    registers,
  });
  const handlerFailures: Counter<'listener' | 'event'> = new prom.Counter({
    name: AMITY_METRIC_NAMES.handlerFailures,
    help: 'Failed or timed-out listener calls (each attempt), by listener (Class.method) and event.',
    labelNames: ['listener', 'event'],
    registers,
  });
  const gauges: Gauge[] = [
    new prom.Gauge({
      name: AMITY_METRIC_NAMES.backlog,
      help: 'Deliveries accepted and not finished (durable mode: waiting + active + delayed jobs, plus the spool).',
      registers,
      async collect() {
        this.set(await readWithin(() => sources.backlog()));
      },
    }),
  ];
  const { deadLetters } = sources;
  if (deadLetters !== undefined) {
    gauges.push(
      new prom.Gauge({
        name: AMITY_METRIC_NAMES.deadLetters,
        help: 'Jobs that failed their last attempt and wait in the failed set for a replay (durable mode).',
        registers,
        async collect() {
          this.set(await readWithin(deadLetters));
        },
      }),
    );
  }

  const stop = sources.stats.observe({
    requestAnswered: (request) => {
      requests.inc({ outcome: request.outcome, status: String(request.status) });
      ackDuration.observe(request.durationSeconds);
    },
    deliveryProcessed: (delivery) => dispatched.inc({ event: amityEventLabel(delivery.event) }),
    deliveryInvalid: (delivery) => invalid.inc({ event: amityEventLabel(delivery.event) }),
    listenerCalled: (call) => {
      if (call.outcome === 'succeeded') return;
      handlerFailures.inc({ listener: amityListenerLabel(call.listener), event: amityEventLabel(call.name) });
    },
  });

  return {
    uninstall() {
      stop();
      for (const name of Object.values(AMITY_METRIC_NAMES)) registry.removeSingleMetric(name);
    },
  };
}

/** The value, or NaN when it cannot be read within the scrape's patience. */
async function readWithin(read: () => number | Promise<number>): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(read),
      new Promise<number>((resolve) => {
        timer = setTimeout(() => resolve(Number.NaN), GAUGE_READ_TIMEOUT_MS);
      }),
    ]);
  } catch {
    return Number.NaN;
  } finally {
    clearTimeout(timer);
  }
}
