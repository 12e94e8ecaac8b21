// AWS SDK v3 clients, created on first use. Every SDK module is loaded with a dynamic
// import() inside a function, so `mangaops --help`, list, graph, validate and drill — which
// may import this file's callers — never load @aws-sdk/* (test/capabilities/no-sdk-load.test.ts).
//
// The standard configuration is honoured as it is: the SDK's own credential chain (with
// `profile` only when --profile is given; AWS_PROFILE is read by the SDK), AWS_ENDPOINT_URL
// and AWS_ENDPOINT_URL_<SERVICE> (read by the SDK: no `endpoint` is ever set here). The
// region is --region, else AWS_REGION, else the config's `region` (the MangaAssist region):
// a profile's region in ~/.aws/config is not consulted, so a laptop's default region never
// silently points an incident walk at the wrong account half.
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { STSClient } from '@aws-sdk/client-sts';
import { MangaopsError } from '../core/errors.js';
import { firstLine } from './reasons.js';
import type { Config } from '../core/config.js';

export type CloudWatchSdk = typeof import('./cloudwatch/sdk.js');
export type EcsSdk = typeof import('@aws-sdk/client-ecs');
export type DynamoSdk = typeof import('@aws-sdk/client-dynamodb');
export type LogsSdk = typeof import('@aws-sdk/client-cloudwatch-logs');
export type AossSdk = typeof import('@aws-sdk/client-opensearchserverless');
export type QuotasSdk = typeof import('@aws-sdk/client-service-quotas');
export type StsSdk = typeof import('@aws-sdk/client-sts');
type CredentialProvider = ReturnType<typeof import('./credential-chain.js').fromNodeProviderChain>;

/** A client with its SDK module, so callers build commands without a static import. */
export interface Sdk<C, M> {
  client: C;
  sdk: M;
}

export interface AwsOptions {
  config?: Config;
  region?: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Aws {
  readonly region: string;
  /** The profile in use, for messages: --profile, else AWS_PROFILE, else undefined (default). */
  readonly profile: string | undefined;
  cloudwatch(): Promise<Sdk<CloudWatchClient, CloudWatchSdk>>;
  ecs(): Promise<Sdk<ECSClient, EcsSdk>>;
  dynamodb(): Promise<Sdk<DynamoDBClient, DynamoSdk>>;
  logs(): Promise<Sdk<CloudWatchLogsClient, LogsSdk>>;
  /** For the remediation actions (no probe reads these). */
  aoss(): Promise<Sdk<OpenSearchServerlessClient, AossSdk>>;
  quotas(): Promise<Sdk<ServiceQuotasClient, QuotasSdk>>;
  /** Who the credentials are (GetCallerIdentity). */
  sts(): Promise<Sdk<STSClient, StsSdk>>;
}

const DEFAULT_REGION = 'ap-northeast-1';

export function resolveRegion(options: AwsOptions): string {
  const fromConfig = typeof options.config?.region === 'string' ? options.config.region : undefined;
  return options.region || options.env?.AWS_REGION || fromConfig || DEFAULT_REGION;
}

/** Attempts per call: adaptive retry backs off on throttling; the probe's abortSignal bounds it. */
const MAX_ATTEMPTS = 5;

export function createAws(options: AwsOptions): Aws {
  // The SDK warns on every run under Node 20 that later releases will need 22: noise on an
  // on-call screen. Set only when unset, so anyone who wants the warning keeps it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const region = resolveRegion(options);
  const profile = options.profile || options.env?.AWS_PROFILE || undefined;
  let credentials: Promise<CredentialProvider> | undefined;

  // One memoised credential chain for every client: one SSO refresh / IMDS call, not four.
  const sharedCredentials = () =>
    (credentials ??= import('./credential-chain.js').then(({ fromNodeProviderChain }) =>
      fromNodeProviderChain(options.profile ? { profile: options.profile } : {}),
    ));

  const clientConfig = async () => ({
    region,
    ...(options.profile ? { profile: options.profile } : {}),
    retryMode: 'adaptive' as const,
    maxAttempts: MAX_ATTEMPTS,
    credentials: await sharedCredentials(),
  });

  function lazy<C, M>(load: () => Promise<M>, make: (sdk: M, config: Awaited<ReturnType<typeof clientConfig>>) => C) {
    let made: Promise<Sdk<C, M>> | undefined;
    return () => (made ??= (async () => {
      const [sdk, config] = await Promise.all([load(), clientConfig()]);
      return { sdk, client: make(sdk, config) };
    })());
  }

  return {
    region,
    profile,
    cloudwatch: lazy(() => import('./cloudwatch/sdk.js'), (sdk, c) => new sdk.CloudWatchClient(c)),
    ecs: lazy(() => import('@aws-sdk/client-ecs'), (sdk, c) => new sdk.ECSClient(c)),
    dynamodb: lazy(() => import('@aws-sdk/client-dynamodb'), (sdk, c) => new sdk.DynamoDBClient(c)),
    logs: lazy(() => import('@aws-sdk/client-cloudwatch-logs'), (sdk, c) => new sdk.CloudWatchLogsClient(c)),
    aoss: lazy(() => import('@aws-sdk/client-opensearchserverless'), (sdk, c) => new sdk.OpenSearchServerlessClient(c)),
    quotas: lazy(() => import('@aws-sdk/client-service-quotas'), (sdk, c) => new sdk.ServiceQuotasClient(c)),
    sts: lazy(() => import('@aws-sdk/client-sts'), (sdk, c) => new sdk.STSClient(c)),
  };
}

// ── Errors ───────────────────────────────────────────────────────────────────────────

interface AwsErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

export function errorName(error: unknown): string {
  const e = error as AwsErrorLike | undefined;
  return String(e?.name ?? e?.Code ?? e?.code ?? 'Error');
}

/** An SDK error's message as one line: reasons.ts's firstLine (a URL's password masked, at most 200 characters). */
export const errorLine = firstLine;

// Error codes that mean "who you are" failed, not "what you may do": no credentials, expired
// or revoked ones, a wrong secret. Any of them fails every probe alike, so the walk stops once.
const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'UnrecognizedClient',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'AuthFailure',
]);

const CREDENTIAL_MESSAGES = /(could not load credentials|token (is|has) expired|security token included in the request is (expired|invalid)|sso session .*expired|refresh (failed|token)|the sso (session|token))/i;

export function isCredentialsError(error: unknown): boolean {
  return CREDENTIAL_CODES.has(errorName(error)) || CREDENTIAL_MESSAGES.test(errorLine(error));
}

/** One line that says what is wrong with the credentials and how to fix it: exit 1. */
export function credentialsError(error: unknown, aws: Pick<Aws, 'profile' | 'region'>): MangaopsError {
  const name = errorName(error);
  const expired = /expired|refresh/i.test(`${name} ${errorLine(error)}`);
  const who = aws.profile ? `profile '${aws.profile}'` : 'the default credential chain';
  const what = expired ? 'have expired' : name === 'CredentialsProviderError' ? 'were not found' : 'were rejected';
  const hint = aws.profile
    ? `run: aws sso login --profile ${aws.profile} (SSO), or refresh that profile's keys; check with: aws sts get-caller-identity --profile ${aws.profile}`
    : 'pass --profile NAME or set AWS_PROFILE (then: aws sso login --profile NAME for SSO), or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
  return new MangaopsError(`AWS credentials for ${who} ${what} (${name}: ${errorLine(error)})`, 1, hint, { cause: error });
}

const DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError|Forbidden)$/;
const NOT_FOUND = /(NotFound|NoSuch|ResourceNotFoundException|ClusterNotFoundException|ServiceNotFoundException)/;

export type AwsErrorKind = 'credentials' | 'denied' | 'not found' | 'throttled' | 'timeout' | 'error';

/** The service's own error behind one of ours that explains it (a port's translation), else the error itself. */
export function serviceError(error: unknown): unknown {
  return error instanceof MangaopsError && error.cause !== undefined ? error.cause : error;
}

export function classifyError(error: unknown): AwsErrorKind {
  const name = errorName(error);
  if (isCredentialsError(error)) return 'credentials';
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  if (DENIED.test(name) || /not authorized to perform/i.test(errorLine(error))) return 'denied';
  if (NOT_FOUND.test(name)) return 'not found';
  if (/Throttl|TooManyRequests|RequestLimitExceeded|LimitExceeded/.test(name)) return 'throttled';
  return 'error';
}
