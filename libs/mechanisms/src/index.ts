export * from './mechanism';
export { AnsibleMechanism } from './ansible/ansible.mechanism';
export type { AnsibleMechanismOptions } from './ansible/ansible.mechanism';
export { StaticMechanism } from './static/static.mechanism';
export { MechanismRegistry } from './mechanism-registry';
export { runAnsiblePlaybook } from './ansible/run-ansible-playbook';
export type { PlaybookInvocation, PlaybookOutcome } from './ansible/run-ansible-playbook';
export { findDuffyOut, firstFailure } from './ansible/duffy-out';
