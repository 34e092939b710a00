export * from './common.js';
export {
  allowsBreakingChanges,
  type ContractChange,
  compareContracts,
  sortVersions,
} from './compatibility.js';
export { CURRENCY_CODES, type CurrencyCode } from './currencies.js';
export {
  type ConsumerSighting,
  formatGateReport,
  type GatedChange,
  type GateReport,
  type GateVerdict,
  gateContractChange,
  routeOfPointer,
} from './deploy-gate.js';
export {
  type DeprecationNotice,
  deprecatedMember,
  deprecationHeaders,
  deprecationLink,
  deprecationProblems,
  readDeprecation,
  startOfDay,
} from './deprecation.js';
export * from './events.js';
export * from './feeds.js';
export * from './guests.js';
export { applyMergePatch } from './merge-patch.js';
export { type OpenApiExamples, openApiDocument } from './openapi.js';
export * from './problem.js';
export { type Contract, contract } from './router.js';
export {
  type Access,
  accessOf,
  type ContractPath,
  type ContractRoute,
  type ContractRouter,
  contractPaths,
  contractRoutes,
  type Deprecation,
  deprecationOf,
  ERROR_STATUSES,
  type ErrorStatus,
  type LocatedRoute,
  type RouteMetadata,
} from './routes.js';
export * from './todos.js';
export * from './transactions.js';
export * from './trpc.js';
export * from './usage.js';
export * from './users.js';
export { CONTRACT_VERSION } from './version.js';
