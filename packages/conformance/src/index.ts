export { createMockApp } from './mock.js';
export { sample } from './sample.js';
