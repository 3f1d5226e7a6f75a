/**
 * Structural limits of a parsed webhook body, checked before class-transformer and
 * class-validator see it: their cost grows with the number of keys and their recursion with the
 * depth, so a hostile body within the byte limit could otherwise block the event loop for seconds
 * or overflow the stack.
 */
export interface AmityPayloadLimits {
  /**
   * Most nested objects and arrays, the body itself being depth 1 (`{"data":{}}` is depth 2).
   * @default 32
   */
  readonly maxDepth: number;
  /**
   * Most object keys in the whole body, counted across every object. class-validator spends
   * about 15-20 µs per key of an invalid body on this class of machine, so this bounds what one
   * hostile body can cost the event loop (about 40 ms at the default).
   * @default 2000
   */
  readonly maxKeys: number;
  /**
   * Most elements of any one array.
   * @default 1000
   */
  readonly maxArrayLength: number;
  /**
   * Most UTF-16 code units of any one string value (keys are bounded by the byte limit alone).
   * @default 131072
   */
  readonly maxStringLength: number;
}

/**
 * Defaults of {@link AmityPayloadLimits}. Every fixture of the testing kit (one per known event,
 * modelled on social.plus's own samples) stays far below them: at most depth 7, 78 keys, arrays
 * of 2 and strings of 64 characters. The margins (over 4x in depth, 25x in keys) leave room for
 * real batches and for the free-form `metadata` objects hosts attach to messages and posts, while
 * keeping the validators' work on one hostile body under 50 ms.
 */
export const AMITY_PAYLOAD_LIMIT_DEFAULTS: AmityPayloadLimits = Object.freeze({
  maxDepth: 32,
  maxKeys: 2_000,
  maxArrayLength: 1_000,
  maxStringLength: 131_072,
});

/** A container still to visit, linked to its parent so a path is built only for a reason. */
interface Frame {
  readonly value: object;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
}

/** Path segments shown in full; longer paths keep their head and tail. */
const PATH_HEAD = 8;
const PATH_TAIL = 3;
/** Characters of one key shown in a path: keys come from the sender. */
const KEY_CHARS = 32;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Stands for the segments left out of a long path. */
const ELIDED = Symbol('elided');

/**
 * Checks a parsed JSON value against {@link AmityPayloadLimits} in one pass over its containers,
 * with an explicit stack (no recursion, so any depth is safe), stopping at the first limit
 * crossed. Values are visited in document order.
 *
 * @param value the parsed body (`JSON.parse` output)
 * @param limits limits to apply; missing ones take {@link AMITY_PAYLOAD_LIMIT_DEFAULTS}
 * @returns `undefined` when the value is within every limit, else a reason naming the limit and
 * where it was crossed, e.g. `depth 65 exceeds maxDepth 64 at data.a.b`
 */
export function checkAmityPayloadLimits(value: unknown, limits: Partial<AmityPayloadLimits> = {}): string | undefined {
  const { maxDepth, maxKeys, maxArrayLength, maxStringLength } = { ...AMITY_PAYLOAD_LIMIT_DEFAULTS, ...limits };
  if (typeof value === 'string') {
    return value.length > maxStringLength ? `string of ${value.length} characters exceeds maxStringLength ${maxStringLength} at (root)` : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;

  // The root is checked like any child, which only matters for a zero maxDepth.
  if (maxDepth < 1) return `depth 1 exceeds maxDepth ${maxDepth} at (root)`;
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: undefined }];
  let keys = 0;

  while (stack.length > 0) {
    const frame = stack.pop()!;
    const container = frame.value as Record<string, unknown> & unknown[];
    let names: readonly string[] | undefined;
    let count: number;
    if (Array.isArray(container)) {
      count = container.length;
      if (count > maxArrayLength) return `array of ${count} elements exceeds maxArrayLength ${maxArrayLength} at ${pathOf(frame)}`;
    } else {
      names = Object.keys(container);
      count = names.length;
      keys += count;
      if (keys > maxKeys) return `${keys} keys exceed maxKeys ${maxKeys} at ${pathOf(frame)}`;
    }
    // Pushed last to first so that the first child is visited first.
    for (let i = count - 1; i >= 0; i--) {
      const key = names ? names[i]! : i;
      const child = container[key];
      if (typeof child === 'string') {
        if (child.length > maxStringLength) {
          return `string of ${child.length} characters exceeds maxStringLength ${maxStringLength} at ${pathOf(frame, key)}`;
        }
      } else if (child !== null && typeof child === 'object') {
        const next: Frame = { value: child, depth: frame.depth + 1, parent: frame, key };
        if (next.depth > maxDepth) return `depth ${next.depth} exceeds maxDepth ${maxDepth} at ${pathOf(next)}`;
        stack.push(next);
      }
    }
  }
  return undefined;
}

/** `data.messages[0].text`, shortened in the middle when deep and per key when long. */
function pathOf(frame: Frame, last?: string | number): string {
  const segments: Array<string | number> = last === undefined ? [] : [last];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) segments.push(f.key);
  if (segments.length === 0) return '(root)';
  segments.reverse();
  const elided = segments.length - PATH_HEAD - PATH_TAIL;
  const shown: Array<string | number | typeof ELIDED> =
    elided > 1 ? [...segments.slice(0, PATH_HEAD), ELIDED, ...segments.slice(-PATH_TAIL)] : segments;
  let path = '';
  for (const segment of shown) {
    if (segment === ELIDED) path += `.(…${elided} more…)`;
    else if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment) && segment.length <= KEY_CHARS) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment.length > KEY_CHARS ? `${segment.slice(0, KEY_CHARS)}…` : segment)}]`;
  }
  return path;
}
