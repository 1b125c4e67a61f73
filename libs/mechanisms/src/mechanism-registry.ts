import type { NodePool } from '@app/config';
import { AnsibleMechanism, AnsibleMechanismOptions } from './ansible/ansible.mechanism';
import { Mechanism, MechanismFailure } from './mechanism';
import { StaticMechanism } from './static/static.mechanism';

/** Picks the driver for a pool by its `mechanism.type`. */
export class MechanismRegistry {
  private readonly drivers: Record<string, Mechanism>;

  constructor(options: { ansible: AnsibleMechanismOptions }) {
    this.drivers = {
      ansible: new AnsibleMechanism(options.ansible),
      static: new StaticMechanism(),
    };
  }

  for(pool: NodePool): Mechanism {
    const driver = pool.mechanism && this.drivers[pool.mechanism.type];
    if (!driver) throw new MechanismFailure(`pool '${pool.name}' has no usable mechanism`);
    return driver;
  }
}
