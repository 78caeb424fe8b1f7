/*
 * moto_server (Python moto 5.x), AWS's most used emulator, as a second opinion beside our own
 * control-plane endpoint: started per test file on a free 127.0.0.1 port, stopped after. moto starts
 * empty, so the guide's resources are made through the AWS APIs first: a ROOT Private CA (its CSR
 * signed with the RootCACertificate template and imported, which makes it ACTIVE), an ACM private
 * certificate requested from it, and a stack whose outputs name them as IAMAnywhere_Setup.yaml does.
 * moto checks no signature; any test credentials do. TEST-ONLY.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrivateCaOperation, privateCaClient } from '../../src/shared/aws/privateCaClient.js';
import { GUIDE_ARNS, REGION, STACK } from './awsWorld.js';

/** Where moto_server is on PATH, or why the moto tests skip. */
export function motoServerPath(): { path?: string; reason?: string } {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return path ? { path } : { reason: 'moto_server is not on PATH (pip install "moto[server]" to run these tests)' };
}

export type MotoWorld = {
  url: string;
  caArn: string;
  acmArn: string;
  /** The CA's self-signed root as moto holds it (what a trust anchor would trust). */
  caCertificatePem: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
};

const TEST_KEYS = { accessKeyId: 'AKIAMOTOTESTKEY00000', secretAccessKey: 'moto/test/secret/key/not/checked/000000' };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${log()}`);
    try {
      // eslint-disable-next-line no-await-in-loop
      const answer = await fetch(`${url}/moto-api/`);
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    // eslint-disable-next-line no-await-in-loop
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer within 30 s: ${log()}`);
}

export async function startMoto(path: string): Promise<MotoWorld> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(path, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilUp(url, child, () => output.slice(-2000));
    const resources = await createGuideResources(url);
    const dir = mkdtempSync(join(tmpdir(), 'iamra-moto-'));
    writeFileSync(join(dir, 'config'), `[default]\nregion = ${REGION}\n`);
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = ${TEST_KEYS.accessKeyId}\naws_secret_access_key = ${TEST_KEYS.secretAccessKey}\n`);
    return {
      url,
      ...resources,
      env: {
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_ENDPOINT_URL: url,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      close: async () => {
        await stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createGuideResources(url: string): Promise<{ caArn: string; acmArn: string; caCertificatePem: string }> {
  const credentials = (): Promise<typeof TEST_KEYS> => Promise.resolve(TEST_KEYS);
  // Our own JSON 1.1 signer (privateCaClient.ts) speaks any ACMPrivateCA operation; the set-up needs four more.
  const pca = await privateCaClient({ region: REGION, credentials, endpoint: url });
  const call = (operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> => pca(operation as PrivateCaOperation, input);
  const caArn = String(
    (
      await call('CreateCertificateAuthority', {
        CertificateAuthorityConfiguration: {
          KeyAlgorithm: 'RSA_2048',
          SigningAlgorithm: 'SHA256WITHRSA',
          Subject: { CommonName: 'moto Partner CRM root', Organization: 'iamra test' },
        },
        CertificateAuthorityType: 'ROOT',
      })
    ).CertificateAuthorityArn
  );
  const caCsr = String((await call('GetCertificateAuthorityCsr', { CertificateAuthorityArn: caArn })).Csr);
  const rootArn = String(
    (
      await call('IssueCertificate', {
        CertificateAuthorityArn: caArn,
        Csr: Buffer.from(caCsr).toString('base64'),
        SigningAlgorithm: 'SHA256WITHRSA',
        TemplateArn: 'arn:aws:acm-pca:::template/RootCACertificate/V1',
        Validity: { Value: 3650, Type: 'DAYS' },
      })
    ).CertificateArn
  );
  const caCertificatePem = String((await call('GetCertificate', { CertificateAuthorityArn: caArn, CertificateArn: rootArn })).Certificate);
  await call('ImportCertificateAuthorityCertificate', { CertificateAuthorityArn: caArn, Certificate: Buffer.from(caCertificatePem).toString('base64') });

  const clientConfig = { region: REGION, endpoint: url, credentials: TEST_KEYS };
  const { ACMClient, RequestCertificateCommand } = await import('@aws-sdk/client-acm');
  const acm = new ACMClient(clientConfig);
  const acmArn = (await acm.send(new RequestCertificateCommand({ DomainName: 'iamra.partner.example', CertificateAuthorityArn: caArn }))).CertificateArn!;

  const { CloudFormationClient, CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
  const outputs: Record<string, string> = {
    aceintegrationta: GUIDE_ARNS.trustAnchor,
    aceintegrationiamprofile: GUIDE_ARNS.profile,
    aceintegrationrole: GUIDE_ARNS.role,
    CACertificateAuthority: caArn,
    Certificate: acmArn,
  };
  // moto cannot create Roles Anywhere resources from a template; the outputs carry the guide's ARNs as literals.
  const template = {
    Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
    Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
  };
  await new CloudFormationClient(clientConfig).send(new CreateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(template) }));
  return { caArn, acmArn, caCertificatePem };
}
