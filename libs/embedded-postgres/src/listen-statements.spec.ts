import { listenChanges, quotedChannel } from './listen-statements';

describe('listenChanges', () => {
  it('folds unquoted channel names and keeps quoted ones', () => {
    expect(listenChanges('LISTEN Appended; listen "Mixed""Case"')).toEqual({
      listen: ['appended', 'Mixed"Case'],
      unlisten: [],
      unlistenAll: false,
    });
  });

  it('sees UNLISTEN of one channel and of all', () => {
    expect(listenChanges('UNLISTEN a')).toMatchObject({ unlisten: ['a'], unlistenAll: false });
    expect(listenChanges('  unlisten *  ')).toMatchObject({ unlisten: [], unlistenAll: true });
  });

  it('ignores other statements that merely mention listening', () => {
    expect(listenChanges("SELECT 'LISTEN x'")).toEqual({
      listen: [],
      unlisten: [],
      unlistenAll: false,
    });
  });

  it('quotes a channel back for SQL', () => {
    expect(quotedChannel('Mixed"Case')).toBe('"Mixed""Case"');
  });
});
