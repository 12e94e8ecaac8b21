// The platform the actions touch, behind narrow typed ports, each created on first use so
// a plan that needs only ECS never loads ioredis, and a drill never loads the AWS SDK.
// Live adapters wrap the SDK clients and ioredis; simulated ones (drills) hold state in memory.
export interface Ports {
  ecs(): Promise<import('./ports/ecs.js').EcsPort>;
  aoss(): Promise<import('./ports/aoss.js').AossPort>;
  quotas(): Promise<import('./ports/quotas.js').QuotasPort>;
  redis(): Promise<import('./ports/redis.js').RedisPort>;
  dynamo(): Promise<import('./ports/dynamo.js').DynamoPort>;
  /** Close connections (Redis) so the process can exit. */
  close(): Promise<void>;
}
