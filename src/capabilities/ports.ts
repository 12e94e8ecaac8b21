// The platform the probes and actions touch, behind one narrow typed port per service. Each
// port is created on first use (capabilities/adapters.ts), so a plan that needs only ECS never
// loads ioredis, and a drill never loads the AWS SDK.
import type { AossPort } from './aoss/port.js';
import type { CloudWatchPort } from './cloudwatch/port.js';
import type { DynamoPort } from './dynamodb/port.js';
import type { EcsPort } from './ecs/port.js';
import type { LogsPort } from './logs/port.js';
import type { QuotasPort } from './quotas/port.js';
import type { RedisPort } from './redis/port.js';

export interface Ports {
  cloudwatch(): Promise<CloudWatchPort>;
  logs(): Promise<LogsPort>;
  ecs(): Promise<EcsPort>;
  dynamo(): Promise<DynamoPort>;
  redis(): Promise<RedisPort>;
  aoss(): Promise<AossPort>;
  quotas(): Promise<QuotasPort>;
  /** Close connections (Redis) so the process can exit. */
  close(): Promise<void>;
}
