// Small decorator vocabulary for the schema classes: each check has one human-readable message,
// and every declared key is registered so unknown keys can be reported (strict schema).
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsOptional,
  ValidateBy,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { isConfigDelta } from '../delta';
import { isMapping } from '../merge';

/** Any schema class (constructor); used as a registry key and for nested schemas. */
export type SchemaClass = abstract new (...args: never[]) => unknown;

export interface KeyInfo {
  nested?: () => SchemaClass;
  each?: boolean;
}

const knownKeys = new Map<SchemaClass, Map<string, KeyInfo>>();
const extraKeysAllowed = new Set<SchemaClass>();

function register(target: object, key: string | symbol, info: KeyInfo = {}): void {
  const cls = target.constructor as SchemaClass;
  const keys = knownKeys.get(cls) ?? new Map<string, KeyInfo>();
  keys.set(String(key), { ...keys.get(String(key)), ...info });
  knownKeys.set(cls, keys);
}

export function keysOf(cls: SchemaClass): Map<string, KeyInfo> {
  return knownKeys.get(cls) ?? new Map();
}

export function allowsExtraKeys(cls: SchemaClass): boolean {
  return extraKeysAllowed.has(cls);
}

/** Free-form classes (pool definitions): keys beyond the declared ones are allowed. */
export function AllowExtraKeys(): ClassDecorator {
  return (target) => {
    extraKeysAllowed.add(target as unknown as SchemaClass);
  };
}

export function Required(): PropertyDecorator {
  return (target, key) => {
    register(target, key);
    IsDefined({ message: 'is required' })(target, key);
  };
}

export function Optional(): PropertyDecorator {
  return (target, key) => {
    register(target, key);
    IsOptional()(target, key);
  };
}

/** One check, one message; `check` sees the value only when it is present. */
export function Check(
  name: string,
  check: (value: unknown) => boolean,
  message: string | ((value: unknown) => string),
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => check(value),
        defaultMessage: (args?: ValidationArguments) =>
          typeof message === 'string' ? message : message(args?.value),
      },
    },
    {},
  );
}

/** A nested schema (mapping), or a list of them with `each`. */
export function Nested(cls: () => SchemaClass, opts: { each?: boolean } = {}): PropertyDecorator {
  return (target, key) => {
    register(target, key, { nested: cls, each: opts.each });
    if (opts.each) {
      Check('isList', Array.isArray, 'must be a list')(target, key);
    } else {
      Check('isMapping', isMapping, 'must be a mapping')(target, key);
    }
    ValidateNested({ each: opts.each })(target, key);
    Type(cls)(target, key as string);
  };
}

export const Str = (): PropertyDecorator =>
  Check('isString', (v) => typeof v === 'string', 'must be a string');

export const NonEmptyStr = (): PropertyDecorator =>
  Check('isNonEmptyString', (v) => typeof v === 'string' && v !== '', 'must be a non-empty string');

export const Bool = (): PropertyDecorator =>
  Check('isBool', (v) => typeof v === 'boolean', 'must be true or false');

/** A free-form mapping: its keys are not checked. */
export const FreeMapping = (): PropertyDecorator =>
  Check('isMapping', isMapping, 'must be a mapping');

export const IntAtLeast = (min: number): PropertyDecorator =>
  Check(
    'intAtLeast',
    (v) => Number.isInteger(v) && (v as number) >= min,
    min === 1 ? 'must be an integer > 0' : `must be an integer >= ${min}`,
  );

export const NumberAtLeast = (min: number): PropertyDecorator =>
  Check(
    'numberAtLeast',
    (v) => typeof v === 'number' && Number.isFinite(v) && v >= min,
    `must be a number >= ${min}`,
  );

export const Port = (): PropertyDecorator =>
  Check(
    'isPort',
    (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535,
    'must be an integer between 1 and 65535',
  );

export const OneOf = (values: readonly string[]): PropertyDecorator =>
  Check(
    'oneOf',
    (v) => typeof v === 'string' && values.includes(v),
    (v) => `must be one of ${values.join(', ')} (got '${String(v)}')`,
  );

export const ConfigDelta = (): PropertyDecorator =>
  Check('isConfigDelta', isConfigDelta, (v) => `invalid time delta '${String(v)}'`);

export function parseUrl(v: unknown): URL | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    return new URL(v);
  } catch {
    return undefined;
  }
}

/** A URL with one of `schemes` (without the colon); `what` names it in the message. */
export const UrlWith = (schemes: readonly string[], what: string): PropertyDecorator =>
  Check(
    'isUrl',
    (v) => {
      const url = parseUrl(v);
      return url !== undefined && schemes.includes(url.protocol.replace(/:$/, ''));
    },
    `must be ${what}`,
  );

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const Uuid = (): PropertyDecorator =>
  Check('isUuid', (v) => typeof v === 'string' && UUID_RE.test(v), 'must be a UUID');

/** Python logging dictConfig: a mapping with `version: 1`, anything else allowed. */
export const LoggingConfig = (): PropertyDecorator =>
  Check(
    'isLoggingConfig',
    (v) => isMapping(v) && v.version === 1,
    'must be a logging mapping with version: 1',
  );

export const LOGLEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical'] as const;
export type LogLevel = (typeof LOGLEVELS)[number];
