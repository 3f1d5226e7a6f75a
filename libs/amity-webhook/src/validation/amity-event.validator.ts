import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AmityValidationIssue } from '../interfaces/amity-webhook-event.interface.js';
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

function flatten(errors: readonly ValidationError[], prefix: string, out: AmityValidationIssue[]): void {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) out.push({ path, constraints: { ...error.constraints } });
    if (error.children?.length) flatten(error.children, path, out);
  }
}

/**
 * Validates the `data` of a known event against its class-validator DTO with class-transformer
 * and class-validator as shipped, and returns the transformed instance (normalised: `channel`
 * always an array, `hashFlag` whatever its spelling). Pure: no Nest needed.
 */
export function validateAmityEventData<N extends AmityWebhookEventName>(name: N, data: unknown): AmityValidationResult<N> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { valid: false, issues: [{ path: 'data', constraints: { isObject: 'data must be an object' } }] };
  }
  const instance = plainToInstance(AMITY_EVENT_REGISTRY[name].dto, data) as AmityEventDataMap[N];
  const errors = validateSync(instance as object, VALIDATOR_OPTIONS);
  if (errors.length === 0) return { valid: true, data: instance };
  const issues: AmityValidationIssue[] = [];
  flatten(errors, '', issues);
  return { valid: false, issues };
}
