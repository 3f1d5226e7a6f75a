import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AmityValidationIssue } from '../interfaces/amity-webhook-event.interface.js';
import { AmityUnsupportedDtoError, buildValidAmityDto } from './amity-compiled.validator.js';
import { AMITY_EVENT_REGISTRY } from '../events/amity-event.registry.js';
import type { AmityEventDataMap, AmityWebhookEventName } from '../events/amity-event-data.map.js';

/** Result of validating one event's `data`. */
export type AmityValidationResult<N extends AmityWebhookEventName = AmityWebhookEventName> =
  | { readonly valid: true; readonly data: AmityEventDataMap[N] }
  | { readonly valid: false; readonly issues: readonly AmityValidationIssue[] };

const VALIDATOR_OPTIONS = {
  // Unknown fields are kept: social.plus adds fields over time and handlers may rely on them.
  whitelist: false,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** DTOs the fast path cannot model; they always go through the libraries. */
const unsupported = new WeakSet<object>();

function flatten(errors: readonly ValidationError[], prefix: string, out: AmityValidationIssue[]): void {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) out.push({ path, constraints: { ...error.constraints } });
    if (error.children?.length) flatten(error.children, path, out);
  }
}

/**
 * Validates the `data` of a known event against its class-validator DTO and returns the
 * transformed instance (normalised: `channel` always an array, `hashFlag` whatever its spelling).
 * Pure: no Nest needed.
 */
export function validateAmityEventData<N extends AmityWebhookEventName>(name: N, data: unknown): AmityValidationResult<N> {
  return validate(name, data, false);
}

/**
 * {@link validateAmityEventData} for `data` that the library parsed from a request body and gives
 * up: untyped nested values (`metadata`, `data`, ...) become part of the instance instead of being
 * copied, so a delivery in flight holds one copy of them. Not exported from the package.
 */
export function validateParsedAmityEventData<N extends AmityWebhookEventName>(name: N, data: unknown): AmityValidationResult<N> {
  return validate(name, data, true);
}

function validate<N extends AmityWebhookEventName>(name: N, data: unknown, handOver: boolean): AmityValidationResult<N> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { valid: false, issues: [{ path: 'data', constraints: { isObject: 'data must be an object' } }] };
  }
  const dto = AMITY_EVENT_REGISTRY[name].dto;
  // Fast path: the same result as the libraries for a valid payload, at a fraction of the cost.
  if (!unsupported.has(dto)) {
    try {
      // `undefined`: invalid, or a payload the fast path does not reproduce (only it goes below).
      const fast = buildValidAmityDto(dto as new () => object, data as Record<string, unknown>, handOver) as AmityEventDataMap[N] | undefined;
      if (fast !== undefined) return { valid: true, data: fast };
    } catch (error) {
      if (!(error instanceof AmityUnsupportedDtoError)) throw error;
      unsupported.add(dto);
    }
  }
  // Invalid (or unsupported): class-transformer and class-validator give the issues.
  const instance = plainToInstance(dto, data) as AmityEventDataMap[N];
  const errors = validateSync(instance as object, VALIDATOR_OPTIONS);
  if (errors.length === 0) return { valid: true, data: instance };
  const issues: AmityValidationIssue[] = [];
  flatten(errors, '', issues);
  return { valid: false, issues };
}
