// Two projects, one runner: CommonJS Nest code and libs, and the ESM CLI (Ink needs real ESM).
// @swc/jest only strips types; `npm run build` (tsc/nest build) is what type-checks.
const swcNest = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
const swcCli = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true, decorators: true },
    transform: {
      legacyDecorator: true,
      decoratorMetadata: true,
      react: { runtime: 'automatic' },
    },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};
const libs = [
  'domain',
  'config',
  'event-store',
  'application',
  'mechanisms',
  'contextualization',
  'messaging',
  'read-models',
  'embedded-postgres',
  'rest-api',
  'provisioning',
  'legacy-api',
  'contracts',
  'observability',
];
const nestMapper = Object.fromEntries(
  libs.map((l) => [`^@app/${l}(|/.*)$`, `<rootDir>/libs/${l}/src$1`]),
);

/** @type {import('jest').Config} */
module.exports = {
  // Every test by name, so a skipped suite shows up with its reason (EventStoreDB without a server).
  verbose: true,
  projects: [
    {
      displayName: 'nest',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/apps/{api,projector,provisioner,metaclient}/**/*.spec.ts',
        '<rootDir>/apps/cli/server/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/test/**/*.spec.ts',
      ],
      transform: { '^.+\\.ts$': ['@swc/jest', swcNest] },
      moduleNameMapper: nestMapper,
    },
    {
      displayName: 'cli',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/cli/src/**/*.spec.{ts,tsx}'],
      extensionsToTreatAsEsm: ['.ts', '.tsx'],
      transform: { '^.+\\.tsx?$': ['@swc/jest', swcCli] },
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
  ],
};
