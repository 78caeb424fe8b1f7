// The path other tests and scripts import loginSf from; the code lives in harness/sfLogin.ts.
export * from './harness/sfLogin.js';
