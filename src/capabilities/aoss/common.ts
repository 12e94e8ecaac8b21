// What both OpenSearch Serverless actions start with: the collection, or a refusal that says
// which flag names it.
import { UsageError } from '../../core/errors.js';
import type { AossCollection, AossPort } from './port.js';

export async function requireCollection(aoss: AossPort, name: string): Promise<AossCollection> {
  const collection = await aoss.getCollection(name);
  if (!collection) throw new UsageError(`OpenSearch Serverless collection '${name}' not found`, 'pass --collection (default: aoss.collection in the config)');
  return collection;
}

/** What an OpenSearch Serverless action changes, for the team's lease: the collection. */
export function collectionResource<P extends { params: { collection: string } }>(plan: P): { key: string; name: string } {
  return { key: `aoss:${plan.params.collection}`, name: plan.params.collection };
}
