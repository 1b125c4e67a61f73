/** ApiInfrastructure (store, read models, URL). */
export const API_INFRASTRUCTURE = Symbol('API_INFRASTRUCTURE');
