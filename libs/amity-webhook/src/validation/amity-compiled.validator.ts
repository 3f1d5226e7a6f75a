import type { TransformFnParams, TypeMetadata } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import {
  getMetadataStorage,
  IS_OPTIONAL,
  ValidationTypes,
  type MetadataStorage as ValidationStorage,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

// A fast path for the library's own DTOs, with the semantics of
//   plainToInstance(dto, plain)                                              class-transformer 0.5.1
//   validateSync(instance, { whitelist: false, forbidUnknownValues: true })  class-validator 0.15.1
// for `plain` parsed from JSON. Each DTO class is compiled once, on first use, into two specialised
// functions generated from its decorator metadata (as ajv and fast-json-stringify do): one that
// builds the instance (a `for...in` over the payload and a `switch` on the key, so that every
// declared property is a named store), one that validates it (the decorators' own constraint
// instances called through monomorphic call sites, which V8 inlines). Generated source only ever
// embeds property names as JSON string literals; everything else reaches it through `env`.
//
// It answers only "valid?": an invalid payload goes to the real libraries, so issues and messages are
// exactly class-validator's (a false "invalid" costs time, never correctness). Anything it does not
// model (groups, discriminators, Map/Set, Date or primitive conversion, accessors on DTOs, the
// `validateIf` option, promise validators...) throws AmityUnsupportedDtoError, and the real libraries
// handle that DTO. A payload that is not plain JSON data throws AmityUnsupportedPayloadError (see
// buildValidAmityDto). The spec compares both paths on every fixture and thousands of variants.
//
// Assumptions, beyond the libraries' own code: metadata is complete when a class is first used; a
// `@Type(() => X)` function without parameters always returns the same X (it is called once);
// Object.prototype is not modified after this module loads; validators are pure and synchronous,
// and do not keep the ValidationArguments they get (one object per constraint is reused).

type Ctor = new () => object;
type Plain = Record<string, unknown>;
type TransformFn = (params: TransformFnParams) => unknown;
type Converter = (value: unknown) => unknown;
type Validator = (object: object) => boolean;
type ValidationMetadata = ReturnType<ValidationStorage['getTargetValidationMetadatas']>[number];

/** Thrown when a DTO uses something the fast path does not model; the libraries then handle that DTO. */
export class AmityUnsupportedDtoError extends Error {}

/**
 * Thrown when one payload holds what the fast path does not reproduce: a value that is not plain
 * JSON data (a class instance, a Date...), or an untyped object with an own truthy `constructor` key
 * (class-transformer throws a TypeError on it). A subclass of {@link AmityUnsupportedDtoError}, so
 * callers that only know that class stay correct; {@link buildValidAmityDto} answers `undefined`
 * instead, which sends only that payload to the libraries.
 */
export class AmityUnsupportedPayloadError extends AmityUnsupportedDtoError {}

// ---------------------------------------------------------------------------------------------------
// Untyped values: class-transformer's deep copy of plain data
// ---------------------------------------------------------------------------------------------------

const hasOwnProperty = Object.prototype.hasOwnProperty;

/**
 * Keys class-transformer never sets on a copied object: the ones Object.prototype owns (its methods
 * are skipped as "functions of the target", `__proto__` and `constructor` explicitly).
 */
const OBJECT_PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));
/** The shortest of them (`valueOf`): shorter keys need no set lookup. */
const SHORTEST_OBJECT_PROTOTYPE_KEY = Math.min(...[...OBJECT_PROTOTYPE_KEYS].map((key) => key.length));

function isObjectPrototypeKey(key: string): boolean {
  return key.length >= SHORTEST_OBJECT_PROTOTYPE_KEY && OBJECT_PROTOTYPE_KEYS.has(key);
}

/**
 * class-transformer copies an untyped object as plain data when its `constructor` (an own key
 * included) is Object or falsy; anything else it takes for the object's class, to instantiate, and
 * it throws a TypeError when that is not a class (an own `"constructor": 1`). Not modelled.
 */
function assertPlainData(value: object): void {
  const constructor: unknown = value.constructor;
  if (constructor !== Object && constructor) throw new AmityUnsupportedPayloadError('not plain data');
}

/**
 * The payload of a @Type property, when its `constructor` is not Object (the common case needs no
 * more): class-transformer reads its keys like those of any object, except for a Set (an array to
 * it), a Map, a Date, a Buffer or a promise. Not modelled.
 */
function assertKeyedSource(value: object): void {
  const buffer = globalThis.Buffer as typeof Buffer | undefined;
  if (value instanceof Set || value instanceof Map || value instanceof Date || (buffer !== undefined && value instanceof buffer)) {
    throw new AmityUnsupportedPayloadError('not plain data');
  }
  if (typeof (value as { then?: unknown }).then === 'function') throw new AmityUnsupportedPayloadError('promise');
}

/** class-transformer's copy of a value that has no @Type: primitives as they are, containers deeply. */
function copyValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? copyObjectOrArray(value) : value;
}

/**
 * Whether the copy may be the value itself: set by {@link instantiateAmityDto} for a payload that the
 * caller parsed from JSON and hands over (nothing else holds or changes it).
 */
let reuseParsed = false;

function copyObjectOrArray(value: object): unknown {
  if (!reuseParsed) return Array.isArray(value) ? copyArray(value) : copyObject(value as Plain);
  if (isOwnCopy(value)) return value;
  // Copied after all: its parts are copied too, without being checked again level by level.
  reuseParsed = false;
  try {
    return Array.isArray(value) ? copyArray(value) : copyObject(value as Plain);
  } finally {
    reuseParsed = true;
  }
}

/**
 * Whether parsed JSON `value` equals, key for key, class-transformer's copy of it: plain objects and
 * arrays all the way down, with no key that Object.prototype owns (the copy leaves those out, and an
 * own `constructor` makes class-transformer instantiate). JSON has no holes, accessors or classes.
 */
function isOwnCopy(value: object): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && !isOwnCopy(item)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (!hasOwnProperty.call(value, key) || isObjectPrototypeKey(key)) return false;
    const item = (value as Plain)[key];
    if (typeof item === 'object' && item !== null && !isOwnCopy(item)) return false;
  }
  return true;
}

/** A new array of copied items; holes are dropped, as class-transformer's `forEach` does. */
function copyArray(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined && !(i in items)) continue;
    out.push(typeof item === 'object' && item !== null ? copyObjectOrArray(item) : item);
  }
  return out;
}

/** A new object with the own enumerable keys of `source`, values copied, Object.prototype's keys left out. */
function copyObject(source: Plain): Plain {
  assertPlainData(source);
  const out: Plain = {};
  for (const key in source) {
    if (!hasOwnProperty.call(source, key) || isObjectPrototypeKey(key)) continue;
    const value = source[key];
    out[key] = typeof value === 'object' && value !== null ? copyObjectOrArray(value) : value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Code generation
// ---------------------------------------------------------------------------------------------------

/** A JavaScript string literal: the only way data reaches generated source. */
const literal = (text: string): string => JSON.stringify(text);

/**
 * Runs generated `source` as the body of `function (env)`. The `sourceURL` names the code after the
 * class in stack traces and CPU profiles (and keeps V8 from sharing one compiled copy, with its type
 * feedback, between classes whose code happens to be the same). No code generation: unsupported.
 */
function compile<T>(kind: 'instantiate' | 'validate', target: Function, source: string, env: object): T {
  const name = String(target.name).replace(/[^\w$]/g, '_');
  const url = `amity-compiled/amity-dto.${name}.${kind}.${++compiled}.js`;
  let factory: (env: object) => T;
  try {
    factory = new Function('env', `"use strict";\n${source}\n//# sourceURL=${url}`) as (env: object) => T;
  } catch (error) {
    throw new AmityUnsupportedDtoError(`cannot generate code for ${name}: ${String(error)}`);
  }
  return factory(env);
}

let compiled = 0;

/**
 * Compiles for a class not yet in `cache`. A failure is kept too, as `fail(error)`: code that throws
 * the error when used, so that an unsupported class is not analysed again for every payload.
 */
function cached<K extends object, V>(cache: WeakMap<K, V>, key: K, build: (key: K) => V, fail: (error: AmityUnsupportedDtoError) => V): V {
  let entry: V;
  try {
    entry = build(key);
  } catch (error) {
    // Whatever a DTO's metadata or constructor throws here, the libraries will reproduce.
    entry = fail(error instanceof AmityUnsupportedDtoError ? error : new AmityUnsupportedDtoError(String(error)));
  }
  cache.set(key, entry);
  return entry;
}

function thrower(error: AmityUnsupportedDtoError): () => never {
  return () => {
    throw error;
  };
}

// ---------------------------------------------------------------------------------------------------
// Instantiation: plainToInstance(target, plain)
// ---------------------------------------------------------------------------------------------------

const PLAIN_TO_CLASS = 0; // TransformationType.PLAIN_TO_CLASS

/** The options object class-transformer hands to @Transform functions (its defaults; shared, frozen). */
const TRANSFORM_OPTIONS = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  excludePrefixes: undefined,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  groups: undefined,
  ignoreDecorators: false,
  strategy: undefined,
  targetMaps: undefined,
  version: undefined,
});

/** Types class-transformer converts to instead of instantiating (`String(value)`, `new Date(value)`...). */
const CONVERTED_TYPES: ReadonlySet<unknown> = new Set([String, Number, Boolean, Date, globalThis.Buffer].filter(Boolean));

/** A property with @Type or @Transform metadata. */
interface ConvertedProperty {
  readonly name: string;
  readonly type: TypeMetadata | undefined;
  readonly transforms: readonly TransformFn[];
}

/** What plainToInstance does with each key of one class, worked out once. */
interface InstantiationShape {
  /** Keys never assigned: `__proto__`, `constructor`, methods, read-only accessors. */
  readonly skipped: readonly string[];
  /** Declared keys without @Type or @Transform: copied as untyped values. */
  readonly copied: readonly string[];
  readonly converted: readonly ConvertedProperty[];
  /** @Expose keys: converted even when the payload lacks them. */
  readonly exposed: readonly string[];
}

/** The compiled functions of one class. */
interface Instantiator {
  /** `plainToInstance(target, plain)` for one JSON object. */
  readonly instantiate: (plain: Plain) => object;
  /** class-transformer's `transform(value, target)`: arrays item by item, objects instantiated. */
  readonly convert: Converter;
}

/** The runtime pieces of one converted property that its generated code calls. */
interface PropertyEnv {
  /**
   * Calls the @Type function (or takes the reflected type) and returns the converter of the class.
   * Generated code calls it once when the function has no parameters, per value otherwise.
   */
  readonly resolve: (instance: object, plain: Plain) => Converter;
  readonly transforms: readonly TransformFn[];
}

const instantiators = new WeakMap<Ctor, Instantiator>();

function instantiatorOf(target: Ctor): Instantiator {
  return instantiators.get(target) ?? cached(instantiators, target, compileInstantiator, failedInstantiator);
}

function failedInstantiator(error: AmityUnsupportedDtoError): Instantiator {
  return { instantiate: thrower(error), convert: thrower(error) };
}

/** class-transformer's `getAncestors`: the classes `target` extends, nearest first. */
function ancestors(target: Ctor): Ctor[] {
  const out: Ctor[] = [];
  const parentOf = (cls: Ctor) => Object.getPrototypeOf((cls.prototype as { constructor: Ctor }).constructor) as Ctor;
  for (let base = parentOf(target); typeof base.prototype !== 'undefined'; base = parentOf(base)) out.push(base);
  return out;
}

/** Class-level checks: the decorators plainToInstance would apply differently from the compiled code. */
function assertModelledClass(target: Ctor): void {
  const storage = defaultMetadataStorage;
  if (storage.getStrategy(target) !== 'none') throw new AmityUnsupportedDtoError('@Expose/@Exclude strategy');
  if (storage.getExcludedProperties(target, PLAIN_TO_CLASS).length) throw new AmityUnsupportedDtoError('@Exclude');
  for (const { options } of storage.getExposedMetadatas(target)) {
    if (options?.name || options?.groups?.length || options?.since !== undefined || options?.until !== undefined) {
      throw new AmityUnsupportedDtoError('@Expose options');
    }
  }
}

/**
 * Names of the properties with @Type or @Transform metadata on `target` or its ancestors.
 * class-transformer has no public listing, so this reads its storage maps (version pinned).
 */
function transformerPropertyNames(target: Ctor): string[] {
  const storage = defaultMetadataStorage as unknown as Record<'_typeMetadatas' | '_transformMetadatas', unknown>;
  const names: string[] = [];
  for (const maps of [storage._typeMetadatas, storage._transformMetadatas]) {
    if (!(maps instanceof Map)) throw new AmityUnsupportedDtoError('class-transformer storage layout');
    for (const cls of [target, ...ancestors(target)]) {
      const byProperty: unknown = maps.get(cls);
      if (byProperty instanceof Map) for (const name of byProperty.keys()) if (typeof name === 'string') names.push(name);
    }
  }
  return names;
}

/** Every key the generated `switch` knows: declared, decorated, exposed, or found on the prototypes. */
function knownKeys(target: Ctor, probe: object, exposed: readonly string[]): Set<string> {
  const keys = new Set<string>([...Object.keys(probe), ...exposed, ...transformerPropertyNames(target)]);
  for (let proto: object | null = target.prototype; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      // An accessor would run (or not) per instance; DTOs have none, so the compiled code does not model them.
      if (proto !== Object.prototype && descriptor && (descriptor.get || descriptor.set)) throw new AmityUnsupportedDtoError(`accessor ${name}`);
      keys.add(name);
    }
  }
  return keys;
}

/** class-transformer's test for keys it never assigns on a new instance of `target`. */
function isSkipped(target: Ctor, probe: object, key: string): boolean {
  if (key === '__proto__' || key === 'constructor') return true;
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
  // oxlint-disable-next-line unicorn/no-instanceof-builtins -- class-transformer's own test, realm and all
  return (descriptor !== undefined && !descriptor.set) || (probe as Plain)[key] instanceof Function;
}

/** The @Type and @Transform metadata of one property; undefined when it has neither. */
function convertedProperty(target: Ctor, name: string): ConvertedProperty | undefined {
  const storage = defaultMetadataStorage;
  const type = storage.findTypeMetadata(target, name) as TypeMetadata | undefined;
  const transforms = storage
    .findTransformMetadatas(target, name, PLAIN_TO_CLASS)
    .filter((metadata) => !metadata.options?.groups?.length)
    .map((metadata) => metadata.transformFn as TransformFn);
  if (!type && transforms.length === 0) return undefined;
  if (type) assertModelledType(type);
  return { name, type, transforms };
}

function assertModelledType(type: TypeMetadata): void {
  if (type.options?.discriminator) throw new AmityUnsupportedDtoError('discriminator');
  const reflected: unknown = type.reflectedType;
  if (reflected === Map) throw new AmityUnsupportedDtoError('Map property');
  // An array value becomes `new reflectedType()` when that has `push` or is a Set, a plain [] otherwise.
  if (typeof reflected === 'function' && reflected !== Array && reflected !== Object) {
    const container: unknown = new (reflected as Ctor)();
    if (container instanceof Set || (container !== null && typeof container === 'object' && 'push' in container)) {
      throw new AmityUnsupportedDtoError('custom array type');
    }
  }
}

function describeClass(target: Ctor): InstantiationShape {
  assertModelledClass(target);
  const exposed = [...new Set(defaultMetadataStorage.getExposedProperties(target, PLAIN_TO_CLASS))];
  const probe = new target();
  const shape = { skipped: [] as string[], copied: [] as string[], converted: [] as ConvertedProperty[], exposed };
  for (const key of knownKeys(target, probe, exposed)) {
    if (isSkipped(target, probe, key)) {
      shape.skipped.push(key);
      continue;
    }
    const converted = convertedProperty(target, key);
    if (converted) shape.converted.push(converted);
    else shape.copied.push(key);
  }
  return shape;
}

/** The converter for the class a @Type function returned (none: the value is copied untyped). */
function converterFor(type: unknown): Converter {
  if (!type) return copyValue;
  if (typeof type !== 'function' || CONVERTED_TYPES.has(type)) throw new AmityUnsupportedDtoError('@Type conversion');
  return instantiatorOf(type as Ctor).convert;
}

function propertyEnv(property: ConvertedProperty): PropertyEnv {
  const { name, type, transforms } = property;
  const resolve = (instance: object, plain: Plain): Converter =>
    converterFor(type?.typeFunction ? type.typeFunction({ newObject: instance, object: plain, property: name }) : type?.reflectedType);
  return { resolve, transforms };
}

/** Whether the property's converter can be resolved once: @Type(() => X), or a reflected type. */
function isCacheableType(type: TypeMetadata | undefined): boolean {
  return type !== undefined && (type.typeFunction === undefined || type.typeFunction.length === 0);
}

/** `convertN(o, plain, value)`: @Type conversion, then the @Transform functions, in order. */
function emitConversion(property: ConvertedProperty, index: number): string {
  const lines = [`const p${index} = env.properties[${index}];`, `let link${index};`];
  property.transforms.forEach((_, t) => lines.push(`const t${index}_${t} = p${index}.transforms[${t}];`));
  lines.push(`function convert${index}(o, plain, value) {`);
  if (isCacheableType(property.type)) {
    lines.push(`  value = (link${index} !== undefined ? link${index} : (link${index} = p${index}.resolve(o, plain)))(value);`);
  } else if (property.type) {
    lines.push(`  value = p${index}.resolve(o, plain)(value);`);
  } else {
    lines.push(`  if (typeof value === "object" && value !== null) value = copy(value);`);
  }
  property.transforms.forEach((_, t) => {
    lines.push(`  value = t${index}_${t}({ value, key: ${literal(property.name)}, obj: plain, type: ${PLAIN_TO_CLASS}, options });`);
  });
  lines.push('  return value;', '}');
  return lines.join('\n');
}

const COPY_VALUE = 'typeof v === "object" && v !== null ? copy(v) : v';

/** The `switch` arm of one known key. */
function emitCase(shape: InstantiationShape, key: string): string {
  const index = shape.converted.findIndex((property) => property.name === key);
  if (index >= 0) return `      case ${literal(key)}: o[${literal(key)}] = convert${index}(o, plain, plain[key]); break;`;
  return `      case ${literal(key)}: { const v = plain[key]; o[${literal(key)}] = ${COPY_VALUE}; break; }`;
}

/** An @Expose key the payload lacks (not an own enumerable key): class-transformer converts it anyway. */
function emitExposed(shape: InstantiationShape, key: string): string {
  if (shape.skipped.includes(key)) return '';
  const index = shape.converted.findIndex((property) => property.name === key);
  const assign = index >= 0 ? `convert${index}(o, plain, plain[${literal(key)}])` : `copyValue(plain[${literal(key)}])`;
  return `  if (!Object.prototype.propertyIsEnumerable.call(plain, ${literal(key)})) o[${literal(key)}] = ${assign};`;
}

/**
 * Generated code, for a class with a copied `userId` and a converted, exposed `hashFlag`:
 *
 *   function instantiate(plain) {
 *     if (plain.constructor !== Object) assertKeyedSource(plain);
 *     const o = new target();
 *     for (const key in plain) {
 *       if (!Object.prototype.hasOwnProperty.call(plain, key)) continue;
 *       switch (key) {
 *         case "userId": { const v = plain[key]; o["userId"] = <deep copy of v>; break; }
 *         case "hashFlag": o["hashFlag"] = convert0(o, plain, plain[key]); break;
 *         case "constructor": case "toString": ... case "__proto__": ...: break;
 *         default: { const v = plain[key]; o[key] = <deep copy of v>; }
 *       }
 *     }
 *     if (!Object.prototype.propertyIsEnumerable.call(plain, "hashFlag")) o["hashFlag"] = convert0(o, plain, plain["hashFlag"]);
 *     return o;
 *   }
 */
function emitInstantiator(shape: InstantiationShape): string {
  const skipped = shape.skipped.map((key) => `case ${literal(key)}:`).join(' ');
  return [
    'const { target, copy, copyValue, assertKeyedSource, options } = env;',
    ...shape.converted.map(emitConversion),
    'function instantiate(plain) {',
    '  if (plain.constructor !== Object) assertKeyedSource(plain);',
    '  const o = new target();',
    '  for (const key in plain) {',
    '    if (!Object.prototype.hasOwnProperty.call(plain, key)) continue;',
    '    switch (key) {',
    ...shape.copied.map((key) => emitCase(shape, key)),
    ...shape.converted.map((property) => emitCase(shape, property.name)),
    `      ${skipped} break;`,
    `      default: { const v = plain[key]; o[key] = ${COPY_VALUE}; }`,
    '    }',
    '  }',
    ...shape.exposed.map((key) => emitExposed(shape, key)),
    '  return o;',
    '}',
    // class-transformer's transform(value, target) below a property: arrays item by item (holes dropped).
    'function convert(value) {',
    '  if (typeof value !== "object" || value === null) return value;',
    '  if (!Array.isArray(value)) return instantiate(value);',
    '  const out = [];',
    '  for (let i = 0; i < value.length; i++) {',
    '    const item = value[i];',
    '    if (item === undefined && !(i in value)) continue;',
    '    out.push(convert(item));',
    '  }',
    '  return out;',
    '}',
    'return { instantiate, convert };',
  ].join('\n');
}

function compileInstantiator(target: Ctor): Instantiator {
  const shape = describeClass(target);
  const env = {
    target,
    copy: copyObjectOrArray,
    copyValue,
    assertKeyedSource,
    options: TRANSFORM_OPTIONS,
    properties: shape.converted.map(propertyEnv),
  };
  return compile<Instantiator>('instantiate', target, emitInstantiator(shape), env);
}

/**
 * `plainToInstance(target, plain)` for a parsed JSON object: the same instance, built by code
 * compiled for `target` on first use.
 * @param handOver the caller parsed `plain` from JSON and gives it up: an untyped nested value that
 *   equals its own copy is reused instead of copied (the instance then shares it with `plain`)
 * @throws AmityUnsupportedDtoError when `target` uses what the compiled code does not model
 * @throws AmityUnsupportedPayloadError when `plain` is not plain JSON data
 */
export function instantiateAmityDto<T extends object>(target: new () => T, plain: Plain, handOver = false): T {
  const instantiate = instantiatorOf(target).instantiate;
  if (!handOver) return instantiate(plain) as T;
  reuseParsed = true;
  try {
    return instantiate(plain) as T;
  } finally {
    reuseParsed = false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Validation: validateSync(object, { whitelist: false, forbidUnknownValues: true }).length === 0
// ---------------------------------------------------------------------------------------------------

type Condition = (object: object, value: unknown) => unknown;

/** One constraint of one decorator, with the arguments class-validator would pass it. */
interface Check {
  readonly constraint: ValidatorConstraintInterface;
  readonly each: boolean;
  /**
   * Reused, so that validating allocates nothing: `object` and `value` are set before each call
   * (class-validator builds a new one), and keep the last object checked until the next one.
   */
  readonly args: ValidationArguments;
}

/** What class-validator runs for one property, in its order: conditions gate the checks, then nested. */
interface PropertyChecks {
  readonly name: string;
  /** Has @IsOptional, whose condition the generated code tests inline (see isOptionalCondition). */
  readonly optional: boolean;
  /** The other conditions (@ValidateIf), called. */
  readonly conditions: readonly Condition[];
  /** @IsDefined's first, then the custom (built-in) validators. */
  readonly checks: readonly Check[];
  readonly nested: boolean;
}

const SUPPORTED_VALIDATION_TYPES: ReadonlySet<string> = new Set([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

const validators = new WeakMap<object, Validator>();

/** forbidUnknownValues: an object no validation metadata describes is invalid. */
const rejectUnknownValue: Validator = () => false;

/** A constraint's verdict when it is not `true`: truthy passes; a promise (async) is not modelled. */
function accept(result: unknown): boolean {
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    throw new AmityUnsupportedDtoError('promise from a synchronous validator');
  }
  return Boolean(result);
}

function rejectSetOrMap(): never {
  throw new AmityUnsupportedDtoError('Set/Map value');
}

/** The validator of a class; objects without a class have no metadata, so are never valid here. */
function validatorOf(target: unknown): Validator {
  if (typeof target !== 'function') return rejectUnknownValue;
  return validators.get(target) ?? cached(validators, target, compileValidator, thrower);
}

function checksOf(storage: ValidationStorage, target: Function, metadata: ValidationMetadata): Check[] {
  return storage
    .getTargetValidatorConstraints(metadata.constraintCls)
    .filter((constraint) => !constraint.async) // validateSync skips async constraints
    .map((constraint) => ({
      constraint: constraint.instance,
      each: Boolean(metadata.each), // class-validator tests it for truthiness
      args: { targetName: target.name, property: metadata.propertyName, object: {}, value: undefined, constraints: metadata.constraints },
    }));
}

/** Whether a class or its ancestors define `name` as an accessor (a read could then change the value). */
function hasAccessor(target: Function, name: string): boolean {
  for (let proto: unknown = target.prototype; proto !== null && typeof proto === 'object'; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return descriptor.get !== undefined || descriptor.set !== undefined;
  }
  return false;
}

/**
 * Whether a condition is @IsOptional's `(object) => object[name] !== null && object[name] !== undefined`
 * (class-validator 0.15.1), by its metadata name and by its answers. class-validator calls it right
 * after reading `value = object[name]`; for a data property the same read gives the same value, so
 * the generated code tests `v !== undefined && v !== null` instead of calling it (a megamorphic call
 * and two megamorphic keyed loads, a fifth of the whole cost).
 */
function isOptionalCondition(metadata: ValidationMetadata, name: string): boolean {
  const condition = metadata.constraints[0] as unknown;
  if (metadata.name !== IS_OPTIONAL || typeof condition !== 'function') return false;
  // It reads the object, not the value argument.
  const answers: ReadonlyArray<[unknown, unknown, boolean]> = [
    [undefined, 'x', false],
    [null, 'x', false],
    [0, undefined, true],
    ['', null, true],
    [false, undefined, true],
  ];
  return answers.every(([own, passed, expected]) => (condition as Condition)({ [name]: own }, passed) === expected);
}

function propertyChecks(storage: ValidationStorage, target: Function, name: string, all: readonly ValidationMetadata[]): PropertyChecks {
  for (const metadata of all) {
    if (!SUPPORTED_VALIDATION_TYPES.has(metadata.type)) throw new AmityUnsupportedDtoError(`validation type ${metadata.type}`);
    if (metadata.validateIf !== undefined) throw new AmityUnsupportedDtoError('validateIf');
  }
  const ofType = (type: string) => all.filter((metadata) => metadata.type === type);
  const conditional = ofType(ValidationTypes.CONDITIONAL_VALIDATION);
  const inlined = hasAccessor(target, name) ? [] : conditional.filter((metadata) => isOptionalCondition(metadata, name));
  const conditions = conditional.filter((metadata) => !inlined.includes(metadata)).map((metadata) => metadata.constraints[0] as unknown);
  if (!conditions.every((condition) => typeof condition === 'function')) throw new AmityUnsupportedDtoError('condition');
  return {
    name,
    optional: inlined.length > 0,
    conditions: conditions as Condition[],
    checks: [...ofType(ValidationTypes.IS_DEFINED), ...ofType(ValidationTypes.CUSTOM_VALIDATION)].flatMap((metadata) =>
      checksOf(storage, target, metadata),
    ),
    nested: all.some((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION),
  };
}

/** One call of a constraint: `return false` unless it passes. */
function emitCall(c: string, value: string): string {
  return `r = ${c}.validate(${value}, ${c}args); if (r !== true && !accept(r)) return false;`;
}

/** A check, `each` applied to arrays item by item (holes skipped), as class-validator does. */
function emitCheck(check: Check, c: string): string[] {
  const call = [`${c}args.object = o; ${c}args.value = v;`];
  if (!check.each) return [...call, emitCall(c, 'v')];
  return [
    ...call,
    'if (Array.isArray(v)) {',
    '  for (let i = 0; i < v.length; i++) {',
    '    const item = v[i];',
    '    if (item === undefined && !(i in v)) continue;',
    `    ${emitCall(c, 'item')}`,
    '  }',
    '} else {',
    '  if (v instanceof Set || v instanceof Map) rejectSetOrMap();',
    `  ${emitCall(c, 'v')}`,
    '}',
  ];
}

/**
 * `nestedN(value)`: class-validator's nested validation (undefined passes, arrays item by item,
 * objects by the validator of their class, anything else fails), with the validator of the class
 * last seen at this property kept at hand instead of looked up per object.
 */
function emitNested(index: number): string {
  return [
    `let n${index}class, n${index}validate;`,
    `function nested${index}(value) {`,
    '  if (value === undefined) return true;',
    '  if (Array.isArray(value)) {',
    `    for (let i = 0; i < value.length; i++) if (!nested${index}(value[i])) return false;`,
    '    return true;',
    '  }',
    '  if (value instanceof Set || value instanceof Map) rejectSetOrMap();',
    '  if (!(value instanceof Object)) return false;',
    '  const target = value.constructor;',
    `  if (target !== n${index}class) { n${index}validate = validatorOf(target); n${index}class = target; }`,
    `  return n${index}validate(value);`,
    '}',
  ].join('\n');
}

/** Declarations of the property's conditions and constraints, then its statements in `isValid`. */
function emitProperty(property: PropertyChecks, index: number): { declarations: string[]; body: string[] } {
  const declarations: string[] = [`const p${index} = env.properties[${index}];`];
  property.conditions.forEach((_, k) => declarations.push(`const p${index}k${k} = p${index}.conditions[${k}];`));
  property.checks.forEach((_, k) => {
    declarations.push(`const p${index}c${k} = p${index}.checks[${k}].constraint, p${index}c${k}args = p${index}.checks[${k}].args;`);
  });
  const checks = property.checks.flatMap((check, k) => emitCheck(check, `p${index}c${k}`));
  if (property.nested) {
    declarations.push(emitNested(index));
    checks.push(`if (v !== undefined && !nested${index}(v)) return false;`);
  }
  const body = [`v = o[${literal(property.name)}];`];
  // class-validator evaluates every condition, then skips the property unless all hold.
  const called = property.conditions.map((_, k) => `ok${k} = p${index}k${k}(o, v)`);
  const holds = [...(property.optional ? ['v !== undefined && v !== null'] : []), ...property.conditions.map((_, k) => `ok${k}`)];
  if (holds.length === 0) body.push(...checks);
  else {
    if (called.length) body.push(`{ const ${called.join(', ')};`);
    body.push(`if (${holds.join(' && ')}) {`, ...checks.map((line) => `  ${line}`), '}');
    if (called.length) body.push('}');
  }
  return { declarations, body };
}

/**
 * Generated code, for `@IsOptional() @IsString() name` and `@ValidateNested() @Type(...) child`:
 *
 *   function isValid(o) {
 *     let v, r;
 *     v = o["name"];
 *     if (<IsOptional's condition>(o, v)) {
 *       args.object = o; args.value = v;
 *       r = <IsString's constraint>.validate(v, args); if (r !== true && !accept(r)) return false;
 *     }
 *     v = o["child"];
 *     if (v !== undefined && !nested1(v)) return false;
 *     return true;
 *   }
 */
function emitValidator(properties: readonly PropertyChecks[]): string {
  const emitted = properties.map(emitProperty);
  return [
    'const { accept, validatorOf, rejectSetOrMap } = env;',
    ...emitted.flatMap((property) => property.declarations),
    'function isValid(o) {',
    '  let v, r;',
    ...emitted.flatMap((property) => property.body.map((line) => `  ${line}`)),
    '  return true;',
    '}',
    'return isValid;',
  ].join('\n');
}

function compileValidator(target: Function): Validator {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, '', false, false, undefined);
  if (metadatas.length === 0) return rejectUnknownValue;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties = Object.entries(grouped).map(([name, all]) => propertyChecks(storage, target, name, all));
  return compile<Validator>('validate', target, emitValidator(properties), { properties, accept, validatorOf, rejectSetOrMap });
}

/**
 * `validateSync(object, { whitelist: false, forbidUnknownValues: true }).length === 0`, by code
 * compiled for `object.constructor` on first use.
 * @throws AmityUnsupportedDtoError when the class uses what the compiled code does not model
 */
export function isValidAmityDto(object: object): boolean {
  return validatorOf(object.constructor)(object);
}

/**
 * {@link instantiateAmityDto} then {@link isValidAmityDto}: the instance when the payload is valid,
 * `undefined` when it is invalid or not plain JSON data (let the libraries handle that payload).
 * @param handOver as for {@link instantiateAmityDto}
 * @throws AmityUnsupportedDtoError (never the payload subclass) when `target` is not modelled
 */
export function buildValidAmityDto<T extends object>(target: new () => T, plain: Plain, handOver = false): T | undefined {
  try {
    const instance = instantiateAmityDto(target, plain, handOver);
    return isValidAmityDto(instance) ? instance : undefined;
  } catch (error) {
    if (error instanceof AmityUnsupportedPayloadError) return undefined;
    throw error;
  }
}
