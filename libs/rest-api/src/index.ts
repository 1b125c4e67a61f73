export * from './create-api';
export * from './infrastructure/api-infrastructure';
export { domainDefaults } from './app.module';
