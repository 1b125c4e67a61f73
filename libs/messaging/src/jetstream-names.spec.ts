import {
  jetStreamNamesOf,
  namespaceOfInstallation,
  resolveJetStreamNames,
} from './jetstream-names';

describe('JetStream names', () => {
  const idOnlyStoreStub = (id = '9B5886CB-C10A-4d2e-8f00-000000000000') => ({
    installationId: jest.fn(async () => id),
  });

  it('derives the namespace from the installation id', async () => {
    expect(namespaceOfInstallation('9b5886cb-c10a-4d2e-8f00-000000000000')).toBe('9b5886cbc10a');
    expect(await resolveJetStreamNames(idOnlyStoreStub())).toEqual({
      eventStream: 'DUFFY_9B5886CBC10A_EVENTS',
      subjectRoot: 'duffy.9b5886cbc10a.events',
      deadLetterStream: 'DUFFY_9B5886CBC10A_DEAD_LETTERS',
      deadLetterRoot: 'duffy.9b5886cbc10a.dead',
      durablePrefix: 'duffy-9b5886cbc10a',
    });
  });

  it('uses a configured namespace instead, and explicit names over both', async () => {
    const s = idOnlyStoreStub();
    expect(await resolveJetStreamNames(s, { namespace: 'prod' })).toEqual(jetStreamNamesOf('prod'));
    expect(s.installationId).not.toHaveBeenCalled();
    expect(
      await resolveJetStreamNames(s, { namespace: 'prod', eventStream: 'X', durablePrefix: 'p' }),
    ).toEqual({ ...jetStreamNamesOf('prod'), eventStream: 'X', durablePrefix: 'p' });
    const all = {
      eventStream: 'A',
      subjectRoot: 'a.events',
      deadLetterStream: 'B',
      deadLetterRoot: 'a.dead',
      durablePrefix: 'a',
    };
    expect(await resolveJetStreamNames(s, { ...all, ackWaitMs: 1 } as never)).toEqual(all);
  });

  it('refuses a namespace that would change what a subject or name means', () => {
    for (const bad of ['', 'a.b', 'a*', 'a>', 'a b', 'Upper']) {
      expect(() => jetStreamNamesOf(bad)).toThrow(/JetStream namespace/);
    }
    expect(() => namespaceOfInstallation('short')).toThrow(/installation id/);
  });
});
