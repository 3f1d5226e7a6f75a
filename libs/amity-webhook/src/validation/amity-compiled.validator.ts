import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';

// A fast path for the library's own DTOs: the same semantics as
//   plainToInstance(dto, plain) + validateSync(instance, { whitelist: false, forbidUnknownValues: true })
// with every metadata lookup done once per class instead of on every payload (profiling showed
// class-transformer and class-validator spending most of their time finding metadata). It answers
// only "valid?": an invalid payload goes to the real libraries, so issues and messages are exactly
// class-validator's. Anything it does not model (groups, discriminators, async validators, Map/Set,
// Date conversion...) marks the class unsupported, and the real libraries handle it.

type Ctor = new () => object;
type Plain = Record<string, unknown>;
type TransformFn = (params: { value: unknown; key: string; obj: Plain; type: number; options: object }) => unknown;

/** Thrown when a DTO uses something the fast path does not model. */
export class AmityUnsupportedDtoError extends Error {}

const PLAIN_TO_CLASS = 0;
const NO_OPTIONS = {};

interface PropertyPlan {
  readonly type: ((instance: object, plain: Plain, key: string) => Ctor | undefined) | undefined;
  readonly transforms: readonly TransformFn[];
  readonly skip: boolean;
}
interface TransformPlan {
  readonly exposed: readonly string[];
  readonly props: Map<string, PropertyPlan>;
}

const transformPlans = new WeakMap<Ctor, TransformPlan>();

function transformPlan(target: Ctor): TransformPlan {
  let plan = transformPlans.get(target);
  if (plan) return plan;
  const storage = defaultMetadataStorage;
  if (storage.getStrategy(target) !== 'none') throw new AmityUnsupportedDtoError('strategy');
  if (storage.getExcludedProperties(target, PLAIN_TO_CLASS).length) throw new AmityUnsupportedDtoError('@Exclude');
  const exposed = storage.getExposedProperties(target, PLAIN_TO_CLASS).map((key) => {
    const options = storage.findExposeMetadata(target, key)?.options;
    if (options?.name || options?.groups?.length || options?.since !== undefined || options?.until !== undefined) {
      throw new AmityUnsupportedDtoError('@Expose options');
    }
    return key;
  });
  plan = { exposed, props: new Map() };
  transformPlans.set(target, plan);
  return plan;
}

function propertyPlan(target: Ctor, plan: TransformPlan, key: string): PropertyPlan {
  let property = plan.props.get(key);
  if (property) return property;
  const storage = defaultMetadataStorage;
  const typeMeta = storage.findTypeMetadata(target, key);
  if (typeMeta?.options?.discriminator) throw new AmityUnsupportedDtoError('discriminator');
  const transforms = storage
    .findTransformMetadatas(target, key, PLAIN_TO_CLASS)
    .filter((m) => !m.options?.groups?.length)
    .map((m) => m.transformFn as unknown as TransformFn);
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
  const type = typeMeta
    ? typeMeta.typeFunction
      ? (instance: object, plain: Plain, name: string) =>
          typeMeta.typeFunction!({ newObject: instance, object: plain, property: name }) as Ctor | undefined
      : () => typeMeta.reflectedType as Ctor | undefined
    : undefined;
  property = { type, transforms, skip: (descriptor !== undefined && !descriptor.set) || typeof (target.prototype as Plain)[key] === 'function' };
  plan.props.set(key, property);
  return property;
}

/** A deep copy of an untyped JSON value, as class-transformer makes one. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value === null || typeof value !== 'object') return value;
  if (value.constructor !== Object && value.constructor !== undefined) throw new AmityUnsupportedDtoError('non-plain value');
  const out: Plain = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor') continue;
    out[key] = copyPlain((value as Plain)[key]);
  }
  return out;
}

function convert(value: unknown, type: Ctor | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, type));
  if (value === null || typeof value !== 'object') {
    if ((type as unknown) === String || (type as unknown) === Number || (type as unknown) === Boolean || (type as unknown) === Date) {
      throw new AmityUnsupportedDtoError('primitive conversion');
    }
    return value;
  }
  return type ? instantiateAmityDto(type, value as Plain) : copyPlain(value);
}

/** `plainToInstance(target, plain)` for parsed JSON, with metadata looked up once per class. */
export function instantiateAmityDto<T extends object>(target: new () => T, plain: Plain): T {
  const plan = transformPlan(target);
  const instance = new target() as Plain & T;
  const keys = Object.keys(plain);
  for (const key of plan.exposed) if (!keys.includes(key)) keys.push(key);
  for (const key of keys) {
    if (key === '__proto__' || key === 'constructor') continue;
    const property = propertyPlan(target, plan, key);
    if (property.skip) continue;
    let value = convert(plain[key], property.type?.(instance, plain, key));
    for (const fn of property.transforms) value = fn({ value, key, obj: plain, type: PLAIN_TO_CLASS, options: NO_OPTIONS });
    (instance as Plain)[key] = value;
  }
  return instance;
}

interface Rule {
  readonly property: string;
  readonly each: boolean;
  readonly constraints: unknown[];
  readonly validators: readonly ValidatorConstraintInterface[];
}
interface PropertyRules {
  readonly name: string;
  readonly defined: readonly Rule[];
  readonly conditions: ReadonlyArray<(object: object, value: unknown) => boolean>;
  readonly custom: readonly Rule[];
  readonly nested: boolean;
}
interface ValidationPlan {
  readonly targetName: string;
  readonly props: readonly PropertyRules[];
}

const validationPlans = new WeakMap<object, ValidationPlan>();
const SUPPORTED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

function validationPlan(target: Ctor): ValidationPlan {
  let plan = validationPlans.get(target);
  if (plan) return plan;
  const storage = getMetadataStorage();
  const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(target, '', false, false, undefined));
  const props: PropertyRules[] = [];
  for (const [name, all] of Object.entries(grouped)) {
    for (const metadata of all) {
      if (!SUPPORTED.has(metadata.type)) throw new AmityUnsupportedDtoError(`validation type ${metadata.type}`);
      if (metadata.context !== undefined || metadata.validateIf !== undefined) throw new AmityUnsupportedDtoError('context/validateIf');
    }
    const rule = (metadata: (typeof all)[number]): Rule => ({
      property: metadata.propertyName,
      each: metadata.each ?? false,
      constraints: metadata.constraints,
      validators: storage.getTargetValidatorConstraints(metadata.constraintCls).map((constraint) => {
        if (constraint.async) throw new AmityUnsupportedDtoError('async validator');
        return constraint.instance as ValidatorConstraintInterface;
      }),
    });
    props.push({
      name,
      defined: all.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(rule),
      conditions: all
        .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as (object: object, value: unknown) => boolean),
      custom: all.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map(rule),
      nested: all.some((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  plan = { targetName: target.name, props };
  validationPlans.set(target, plan);
  return plan;
}

const args = { targetName: '', property: '', object: {}, value: undefined, constraints: [] } as ValidationArguments;

function check(validator: ValidatorConstraintInterface, value: unknown): boolean {
  const ok = validator.validate(value, args);
  if (ok !== true && ok !== false) throw new AmityUnsupportedDtoError('non-boolean validator result');
  return ok;
}

function passes(rule: Rule, targetName: string, object: object, value: unknown): boolean {
  args.targetName = targetName;
  args.property = rule.property;
  args.object = object;
  args.value = value;
  args.constraints = rule.constraints;
  for (const validator of rule.validators) {
    if (!rule.each || !Array.isArray(value)) {
      if (rule.each && (value instanceof Set || value instanceof Map)) throw new AmityUnsupportedDtoError('Set/Map');
      if (!check(validator, value)) return false;
    } else {
      for (const item of value) if (!check(validator, item)) return false;
    }
  }
  return true;
}

function nestedValid(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.every(nestedValid);
  if (value instanceof Set || value instanceof Map) throw new AmityUnsupportedDtoError('Set/Map');
  return value instanceof Object ? isValidAmityDto(value) : false;
}

/** `validateSync(object, { whitelist: false, forbidUnknownValues: true }).length === 0`. */
export function isValidAmityDto(object: object): boolean {
  const plan = validationPlan(object.constructor as Ctor);
  if (plan.props.length === 0) return false; // forbidUnknownValues: an object no DTO describes
  for (const property of plan.props) {
    const value = (object as Plain)[property.name];
    // The order class-validator uses: conditions (@IsOptional) first, then @IsDefined, custom, nested.
    if (property.conditions.some((condition) => !condition(object, value))) continue;
    for (const rule of property.defined) if (!passes(rule, plan.targetName, object, value)) return false;
    for (const rule of property.custom) if (!passes(rule, plan.targetName, object, value)) return false;
    if (property.nested && !nestedValid(value)) return false;
  }
  return true;
}
