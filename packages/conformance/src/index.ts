export { arbitraryOf, type Generator, generatorOf } from './generate.js';
export { createMockApp } from './mock.js';
export { type VerifyOptions, verify } from './verify/index.js';
export { type CheckResult, formatReport, junitReport, type Report } from './verify/report.js';
