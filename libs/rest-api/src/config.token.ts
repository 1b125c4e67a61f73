/** Injection token of the validated DuffyConfig the api runs with. */
export const DUFFY_CONFIG = Symbol('DUFFY_CONFIG');
