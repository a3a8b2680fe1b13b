export * from './hub';
export * from './databases';
