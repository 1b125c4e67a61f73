export { LoadGenerator } from './load-generator';
export type { LoadOptions, LoadSummary } from './load-options';
export { planRequest, clientRandomSeed } from './request-plan';
export type { RequestPlan } from './request-plan';
