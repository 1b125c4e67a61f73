export { checkChaosRun } from './check-chaos-run';
export type { ChaosRunEvidence, CheckReport } from './chaos-run-evidence';
export { forgeDoubledAllocation } from './forge-doubled-allocation';
export { gatherEvidence, type GatherEvidenceOptions } from './gather-evidence';
export { readEffectMarkers } from './read-effect-markers';
