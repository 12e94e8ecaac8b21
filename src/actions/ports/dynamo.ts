// Narrow port: filled in by the remediation work.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DynamoPort {}
