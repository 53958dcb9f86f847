import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Class = new () => object;

/** One rule of a property, resolved once: the constraint's own validate(), as class-validator calls it. */
interface Rule {
  validate: (value: unknown, args: ValidationArguments) => unknown;
  metadata: ValidationMetadata;
}

/** A property as class-validator groups its metadata, resolved once per class. */
interface Property {
  name: string;
  /** @IsOptional, @ValidateIf: when any says no, nothing else of the property is checked. */
  conditions: ((object: object, value: unknown) => boolean)[];
  defined: Rule[];
  rules: Rule[];
  /** @ValidateNested with @Type: the class its value (or each of its items) is built as. */
  nested: Class | null;
}

interface Compiled {
  properties: Map<string, Property>;
}

/** Not worth compiling, or not provably the same as class-validator and class-transformer: the usual path. */
const UNSUPPORTED = null;
const compiled = new Map<Class, Compiled | null>();

/**
 * A body of a DTO class, built and checked the way the ValidationPipe (plainToInstance, then
 * validate with whitelist and forbidNonWhitelisted) does, by the DTO's own decorators, read once per
 * class instead of on every request: the same constraint functions run on the same values. It only
 * ever accepts: for a body that fails any rule, that carries anything the compiled form does not
 * model (unknown fields, objects outside @ValidateNested, async rules, groups, class-transformer's
 * @Transform/@Expose/@Exclude) or for a class it cannot compile, the answer is `undefined` and the
 * pipe's usual path decides, with its usual errors.
 */
export function acceptIfValid(metatype: unknown, value: unknown): object | undefined {
  if (typeof metatype !== 'function' || !isPlainObject(value)) return undefined;
  const schema = compile(metatype as Class);
  if (!schema) return undefined;
  const instance = build(metatype as Class, schema, value);
  return instance && check(instance, schema) ? instance : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function compile(cls: Class): Compiled | null {
  if (compiled.has(cls)) return compiled.get(cls) ?? null;
  compiled.set(cls, UNSUPPORTED); // a class nested in itself is left to the usual path
  const result = compileClass(cls);
  compiled.set(cls, result);
  return result;
}

function compileClass(cls: Class): Compiled | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (metadatas.length === 0) return UNSUPPORTED;
  if (defaultMetadataStorage.getExposedMetadatas(cls).length > 0 || defaultMetadataStorage.getExcludedMetadatas(cls).length > 0) return UNSUPPORTED;
  const properties = new Map<string, Property>();
  for (const [name, own] of Object.entries(storage.groupByPropertyName(metadatas))) {
    if (defaultMetadataStorage.findTransformMetadatas(cls, name, 1 /* PLAIN_TO_CLASS */).length > 0) return UNSUPPORTED;
    const property: Property = { name, conditions: [], defined: [], rules: [], nested: null };
    for (const m of own) {
      if ((m.groups && m.groups.length > 0) || m.always || m.context || m.validateIf) return UNSUPPORTED;
      if (m.type === ValidationTypes.WHITELIST) continue;
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        property.conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
      } else if (m.type === ValidationTypes.NESTED_VALIDATION) {
        const type = defaultMetadataStorage.findTypeMetadata(cls, name);
        const target = type?.typeFunction() as Class | undefined;
        if (!target || type?.options?.discriminator || !compile(target)) return UNSUPPORTED;
        property.nested = target;
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION || m.type === ValidationTypes.IS_DEFINED) {
        for (const constraint of storage.getTargetValidatorConstraints(m.constraintCls)) {
          if (constraint.async) return UNSUPPORTED;
          const instance = constraint.instance as { validate: Rule['validate'] };
          (m.type === ValidationTypes.IS_DEFINED ? property.defined : property.rules).push({ validate: instance.validate.bind(instance), metadata: m });
        }
      } else {
        return UNSUPPORTED;
      }
    }
    // A type for a property that is not validated as nested: class-transformer would build it; not modelled.
    if (!property.nested && defaultMetadataStorage.findTypeMetadata(cls, name)) return UNSUPPORTED;
    properties.set(name, property);
  }
  return { properties };
}

/**
 * plainToInstance for what the compiled form models: `new cls()`, then every field of the body as it
 * is (strings, numbers, booleans, null), arrays of those copied, nested DTOs built the same way.
 */
function build(cls: Class, schema: Compiled, value: Record<string, unknown>): object | undefined {
  const instance = new cls() as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const property = schema.properties.get(key);
    if (!property) return undefined; // an unknown field: refused by the usual path, by name
    const field = value[key];
    if (property.nested) {
      const nestedSchema = compile(property.nested)!;
      if (isPlainObject(field)) {
        const built = build(property.nested, nestedSchema, field);
        if (!built) return undefined;
        instance[key] = built;
      } else if (field === undefined || field === null) {
        instance[key] = field;
      } else {
        return undefined;
      }
    } else if (Array.isArray(field)) {
      if (!field.every(isScalar)) return undefined;
      instance[key] = [...(field as unknown[])];
    } else if (isScalar(field)) {
      instance[key] = field;
    } else {
      return undefined;
    }
  }
  return instance;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** class-validator's performValidations, for an accepting answer only: false at the first failing rule. */
function check(object: object, schema: Compiled): boolean {
  for (const key of Object.keys(object)) if (!schema.properties.has(key)) return false;
  for (const property of schema.properties.values()) {
    const value = (object as Record<string, unknown>)[property.name];
    if (!property.conditions.every((condition) => condition(object, value))) continue;
    if (!rulesHold(object, property.name, value, property.defined)) return false;
    if (!rulesHold(object, property.name, value, property.rules)) return false;
    if (property.nested && value !== undefined) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      if (!check(value, compile(property.nested)!)) return false;
    }
  }
  return true;
}

function rulesHold(object: object, property: string, value: unknown, rules: Rule[]): boolean {
  for (const { validate, metadata } of rules) {
    const args: ValidationArguments = { targetName: object.constructor.name, property, object, value, constraints: metadata.constraints };
    const values = metadata.each && Array.isArray(value) ? value : [value];
    for (const v of values) {
      const ok = validate(v, args);
      if (ok !== true && ok !== false) return false; // a promise or anything else: the usual path decides
      if (!ok) return false;
    }
  }
  return true;
}
