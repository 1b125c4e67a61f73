/** The api's ReadinessCheck list (api-readiness-checks.ts). */
export const API_READINESS_CHECKS = Symbol('API_READINESS_CHECKS');
