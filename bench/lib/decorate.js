// TypeScript's decorator emit, by hand: the bench is plain JavaScript (no build step), but the Nest
// contenders must look exactly like what `tsc` produces for a host app (same metadata, same order).
import 'reflect-metadata';

/** `@A() @B() class X` — applied bottom-up, like TypeScript. */
export function decorateClass(target, ...decorators) {
  let result = target;
  for (const decorator of decorators.reverse()) result = decorator(result) ?? result;
  return result;
}

/** `@A() @B() method() {}` — applied bottom-up; the final descriptor is written back. */
export function decorateMethod(prototype, key, ...decorators) {
  let descriptor = Object.getOwnPropertyDescriptor(prototype, key);
  for (const decorator of decorators.reverse()) descriptor = decorator(prototype, key, descriptor) ?? descriptor;
  Object.defineProperty(prototype, key, descriptor);
}

/** `@A() @B() prop: T` with `emitDecoratorMetadata` (design:type). */
export function decorateProperty(prototype, key, designType, ...decorators) {
  Reflect.defineMetadata('design:type', designType, prototype, key);
  for (const decorator of decorators.reverse()) decorator(prototype, key);
}

/** `design:paramtypes` of a constructor (`key` undefined) or a method, as `emitDecoratorMetadata` writes. */
export function paramTypes(target, key, types) {
  if (key === undefined) Reflect.defineMetadata('design:paramtypes', types, target);
  else Reflect.defineMetadata('design:paramtypes', types, target, key);
}
