// The action adapters' AWS clients follow src/aws/clients.ts — one region policy, one
// credential story — and add the two services the live evidence does not read:
// OpenSearch Serverless and Service Quotas. (When createAws gains aoss()/quotas(), these go.)
import { resolveRegion, type AwsOptions } from '../../aws/clients.js';

export type { AwsOptions };

export interface AwsClientConfig {
  region: string;
  profile?: string;
}

/** As createAws configures its clients: --region, else AWS_REGION, else the config's region. */
export function awsClientConfig(o: AwsOptions): AwsClientConfig {
  return { region: resolveRegion(o), ...(o.profile ? { profile: o.profile } : {}) };
}
