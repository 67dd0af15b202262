export * from './network-vocabulary';
export * from './status-lifecycle';
