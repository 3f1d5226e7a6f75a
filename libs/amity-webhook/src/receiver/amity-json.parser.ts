import sjson from 'secure-json-parse';

const SJSON_OPTIONS = { protoAction: 'remove', constructorAction: 'remove' } as const;

/**
 * Parses a signed body. Signed means from social.plus; still, `__proto__` and
 * `constructor.prototype` keys are dropped so nothing downstream (class-transformer, spreads) can
 * reach an object's prototype. secure-json-parse scans the text with regular expressions that also
 * match escaped spellings; a plain `includes` finds every text that could hold such a key (the key
 * spelled out, or any `\u` escape), and only those pay for the scan.
 *
 * @throws SyntaxError when `text` is not JSON
 */
export function parseAmityJson(text: string): unknown {
  if (mayHoldAmityPrototypeKeys(text)) return sjson.parse(text, undefined, SJSON_OPTIONS);
  return JSON.parse(text);
}

/** Whether a JSON text (or its bytes) spells a key that could reach a prototype, or escapes one that could. */
export function mayHoldAmityPrototypeKeys(text: string | Buffer): boolean {
  return text.includes('__proto__') || text.includes('constructor') || text.includes('\\u');
}
