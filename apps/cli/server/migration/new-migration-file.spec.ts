import { newMigrationFile } from './new-migration-file';

describe('migration create: the new file', () => {
  it("follows the read models' TypeORM conventions", () => {
    const file = newMigrationFile('add node tags, for pools */ x', 1764300000000);
    expect(file.fileName).toBe('1764300000000-add-node-tags-for-pools-x.ts');
    expect(file.className).toBe('AddNodeTagsForPoolsX1764300000000');
    expect(file.source).toContain(
      'export class AddNodeTagsForPoolsX1764300000000 implements MigrationInterface {',
    );
    expect(file.source).toContain("name = 'AddNodeTagsForPoolsX1764300000000';");
    expect(file.source).toContain(' * add node tags, for pools *\\/ x\n');
    expect(file.source).toContain('libs/read-models/src/read-model-data-source.ts');
  });

  it('needs a comment with letters or digits', () => {
    expect(() => newMigrationFile('--- !', 1)).toThrow('letters or digits');
  });
});
