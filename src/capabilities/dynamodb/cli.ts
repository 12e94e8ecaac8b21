// The `aws dynamodb …` commands a human could paste for a plan: built from the very request
// objects the live adapter sends (port.ts compile*), so the two cannot drift apart.
import { sh } from '../../core/shell.js';
import { compileTransact, compileUpdate, keyJson, type Key, type TransactItem, type UpdateSpec } from './port.js';

const json = (v: unknown) => sh(JSON.stringify(v));

export function updateItemCli(spec: UpdateSpec): string {
  const r = compileUpdate(spec);
  return [
    `aws dynamodb update-item --table-name ${sh(r.TableName)}`,
    `--key ${json(r.Key)}`,
    `--update-expression ${sh(r.UpdateExpression)}`,
    ...(r.ConditionExpression ? [`--condition-expression ${sh(r.ConditionExpression)}`] : []),
    `--expression-attribute-names ${json(r.ExpressionAttributeNames)}`,
    ...(r.ExpressionAttributeValues ? [`--expression-attribute-values ${json(r.ExpressionAttributeValues)}`] : []),
  ].join(' \\\n    ');
}

export function transactCli(items: TransactItem[]): string {
  return `aws dynamodb transact-write-items --transact-items ${json(compileTransact(items))}`;
}

/** The read that shows one item as it is now (strongly consistent). */
export function getItemCli(table: string, key: Key, attribute: string): string {
  return `aws dynamodb get-item --table-name ${sh(table)} --key ${json(keyJson(key))} --consistent-read --projection-expression ${sh('#a')} --expression-attribute-names ${json({ '#a': attribute })}`;
}

/** The read that shows every version of an intent and which is active. */
export function queryPartitionCli(table: string, attribute: string, value: string): string {
  return [
    `aws dynamodb query --table-name ${sh(table)} --consistent-read`,
    `--key-condition-expression '#p = :p' --expression-attribute-names ${json({ '#p': attribute })}`,
    `--expression-attribute-values ${json({ ':p': { S: value } })}`,
  ].join(' ');
}
