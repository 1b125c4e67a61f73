export * from './connect-event-store';
export * from './provisioner';
export * from './provisioner-options';
export * from './provisioner-view';
