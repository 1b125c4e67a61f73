export * from './create-api';
export * from './infrastructure/api-infrastructure';
