export * from './duffy-metrics';
export * from './active-session-buckets';
export * from './http-metrics.middleware';
export * from './log-lag';
export * from './lag-gauges';
