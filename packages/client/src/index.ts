export type * from '@lockstep/contract';
export { CONTRACT_VERSION, RSVP_VALUES } from '@lockstep/contract';
export {
  type ClientOptions,
  createClient,
  type LockstepClient,
  nextLink,
  type RouteClient,
  type RouteResult,
  type SuccessBody,
} from './client.js';
export type { ContractNoticeOptions, DeprecatedRoute, VersionSkew } from './contract-notices.js';
export {
  AbortError,
  HttpError,
  LockstepError,
  NetworkError,
  ResponseValidationError,
  TimeoutError,
  TooManyRedirectsError,
} from './errors.js';
export type { ChangeEvent, FeedMessage, FollowFeed, FollowOptions, ResetEvent } from './feeds.js';
export { newTraceparent, type TraceContextMode } from './trace-context.js';
export type {
  Hooks,
  IncomingResponse,
  OutgoingRequest,
  RetryOptions,
  Timeouts,
  TransportOptions,
} from './transport.js';
export { parseRetryAfter } from './transport.js';
export {
  createTrpcClient,
  type LockstepTrpcClient,
  TRPCClientError,
  type TrpcCallContext,
  type TrpcClientOptions,
} from './trpc.js';
