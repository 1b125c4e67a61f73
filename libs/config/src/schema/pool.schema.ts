// One pool definition (abstract or concrete), checked on its effective (inherited) dict.
// Pools allow any extra key (they become template variables); `mechanism` is strict.
import { isIP } from 'net';
import { isMapping } from '../merge';
import {
  AllowExtraKeys,
  Bool,
  Check,
  FreeMapping,
  IntAtLeast,
  Nested,
  NonEmptyStr,
  Optional,
  Required,
  Str,
} from './decorators';

export const MECHANISM_TYPES = ['ansible', 'static'] as const;
export type MechanismType = (typeof MECHANISM_TYPES)[number];

export class PlaybookSchema {
  @Optional() @NonEmptyStr() playbook?: string;
  @Optional() @FreeMapping() 'extra-vars'?: Record<string, unknown>;
}

export class AnsibleSchema {
  @Optional() @NonEmptyStr() topdir?: string;
  @Optional() @FreeMapping() 'extra-vars'?: Record<string, unknown>;
  @Optional() @Nested(() => PlaybookSchema) provision?: PlaybookSchema;
  /** null or absent: no deprovision run. */
  @Optional() @Nested(() => PlaybookSchema) deprovision?: PlaybookSchema | null;
}

export class StaticHostSchema {
  @Required() @NonEmptyStr() hostname!: string;
  @Required()
  @Check('isIp', (v) => typeof v === 'string' && isIP(v) !== 0, 'must be an IP address')
  ipaddr!: string;
}

export class StaticSchema {
  @Optional()
  @Check('nonEmpty', (v) => !Array.isArray(v) || v.length > 0, 'must list at least one host')
  @Nested(() => StaticHostSchema, { each: true })
  hosts?: StaticHostSchema[];
}

export class MechanismSchema {
  @Optional()
  @Check(
    'mechanismType',
    (v) => typeof v === 'string' && (MECHANISM_TYPES as readonly string[]).includes(v),
    (v) => `unknown mechanism type '${String(v)}' (known: ${MECHANISM_TYPES.join(', ')})`,
  )
  type?: MechanismType;

  @Optional() @Nested(() => AnsibleSchema) ansible?: AnsibleSchema;
  @Optional() @Nested(() => StaticSchema) static?: StaticSchema;
}

const isReuseNodes = (v: unknown): boolean =>
  v === false ||
  (isMapping(v) &&
    Object.values(v).every((x) => typeof x === 'string' || Number.isInteger(x as number)));

@AllowExtraKeys()
export class PoolSchema {
  @Optional() @Str() name?: string;
  @Optional() @IntAtLeast(1) 'fill-level'?: number;

  @Optional()
  @Check(
    'isReuseNodes',
    isReuseNodes,
    'must be false or a mapping of data key to string or integer',
  )
  'reuse-nodes'?: false | Record<string, string | number>;

  @Optional() @Bool() 'run-parallel'?: boolean;
  @Optional() @Nested(() => MechanismSchema) mechanism?: MechanismSchema;
}
