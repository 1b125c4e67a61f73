export * from './mechanism';
export { AnsibleMechanism } from './ansible/ansible.mechanism';
export type { AnsibleMechanismOptions } from './ansible/ansible.mechanism';
export { runAnsiblePlaybook } from './ansible/run-ansible-playbook';
export type { PlaybookInvocation, PlaybookOutcome } from './ansible/run-ansible-playbook';
export { findDuffyOut, firstFailure } from './ansible/duffy-out';
