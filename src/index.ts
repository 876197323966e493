export * from './certificates/certificate-base';
export * from './certificates/key-algorithm';
export * from './certificates/public-certificate-validation';
export * from './certificates/public-certificate';
