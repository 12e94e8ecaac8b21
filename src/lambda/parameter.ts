// The webhook URL in the Lambda: an SSM SecureString, read through the AWS Parameters and
// Secrets Lambda Extension (a layer that serves GetParameter on localhost and caches it), with
// Node's fetch under a deadline. @aws-sdk/client-ssm is not a dependency of mangaops; the
// extension needs none. The value is never logged.
import { MangaopsError } from '../core/errors.js';

export interface ParameterOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** GetParameter WithDecryption through the extension: http://localhost:2773/systemsmanager/parameters/get. */
export async function readSecureParameter(name: string, env: NodeJS.ProcessEnv, options: ParameterOptions = {}): Promise<string> {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT || '2773';
  const url = `http://localhost:${port}/systemsmanager/parameters/get?name=${encodeURIComponent(name)}&withDecryption=true`;
  const hint = 'the function needs the AWS-Parameters-and-Secrets-Lambda-Extension layer, ssm:GetParameter on the parameter and kms:Decrypt through SSM (deploy/template.yaml sets all three)';
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' }, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
  } catch (e) {
    throw new MangaopsError(`cannot read SSM parameter ${name} through the Lambda extension: ${(e as Error).message}`, 1, hint);
  }
  if (!res.ok) throw new MangaopsError(`cannot read SSM parameter ${name}: the Lambda extension answered HTTP ${res.status}`, 1, hint);
  const body = (await res.json().catch(() => undefined)) as { Parameter?: { Value?: string } } | undefined;
  const value = body?.Parameter?.Value;
  if (!value) throw new MangaopsError(`SSM parameter ${name} has no value`, 1, 'aws ssm put-parameter --type SecureString --name <name> --value <webhook URL>');
  return value;
}
