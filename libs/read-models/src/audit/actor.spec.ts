import { actorOf } from './actor';

describe('actorOf', () => {
  const isAdmin = (name: string) => name === 'admin';

  it.each([
    [{ actor: 'system:expiry' }, { actor: 'expiry', actor_kind: 'expiry' }],
    [{ actor: 'system:reconciler' }, { actor: 'reconciler', actor_kind: 'reconciler' }],
    [{ actor: 'provisioner' }, { actor: 'provisioner', actor_kind: 'provisioner' }],
    [{ actor: 'system:duffy-dev' }, { actor: 'system', actor_kind: 'system' }],
    [{}, { actor: 'system', actor_kind: 'system' }],
    [{ actor: 7 }, { actor: 'system', actor_kind: 'system' }],
    [{ actor: 'admin' }, { actor: 'admin', actor_kind: 'admin' }],
    [{ actor: 'admin-cli' }, { actor: 'admin-cli', actor_kind: 'admin' }],
    [{ actor: 'alice' }, { actor: 'alice', actor_kind: 'tenant' }],
  ])('%j → %j', (metadata, expected) => {
    expect(actorOf(metadata, isAdmin)).toEqual(expected);
  });
});
