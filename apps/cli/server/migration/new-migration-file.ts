/** A new, empty read-model migration: its file name, class name and source text. */
export interface NewMigrationFile {
  fileName: string;
  className: string;
  source: string;
}

/**
 * TypeORM's conventions (as in libs/read-models/src/migrations): `<timestamp>-<slug>.ts`
 * holding `class <Words><timestamp>` whose `name` is what `read_model_migrations` records.
 */
export function newMigrationFile(comment: string, timestamp: number): NewMigrationFile {
  const words = comment.match(/[A-Za-z0-9]+/g) ?? [];
  if (words.length === 0) throw new Error('the migration comment needs letters or digits');
  const slug = words.map((w) => w.toLowerCase()).join('-');
  const className = `${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}${timestamp}`;
  const docComment = comment.replace(/\*\//g, '*\\/');
  const source = `import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ${docComment}
 *
 * Applied only once listed in libs/read-models/src/read-model-data-source.ts (\`migrations\`,
 * after the others). Read models are a function of the event log: a new column or table must
 * be filled by the projection too, or \`duffy projector verify\` reports the difference.
 */
export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
`;
  return { fileName: `${timestamp}-${slug}.ts`, className, source };
}
