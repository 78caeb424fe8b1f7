/*
 * Both commands through the real `sf` binary (compiled lib/, so `npm run build` first) against the
 * local verifying endpoint in this process, plus credential-process read by AWS's own tooling
 * (botocore's credential_process provider) when Python with botocore is installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { tempDir } from '../helpers/tempProject.js';
import { expectMatchesSchema } from '../helpers/schema.js';
import { projectRoot, SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { ARN, PASSPHRASE, pki, ROLE_NAME } from '../helpers/fixtures.js';
import { withFlag } from '../helpers/argv.js';
import { ISSUED, type VerifyingEndpoint } from './endpoint/verifyingEndpoint.js';
import { goodArgs, newEndpoint } from './world.js';

const SECRETS = [ISSUED.secretAccessKey, ISSUED.sessionToken, PASSPHRASE, 'PRIVATE KEY'];
const CREDENTIAL_PROCESS_KEYS = ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'];
const ISO_8601_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('sf iamra aws verify / credential-process (real sf binary)', () => {
  let endpoint: VerifyingEndpoint;
  const sf = SfCli.get();
  before(async () => {
    endpoint = await newEndpoint().start();
  });
  after(() => endpoint.stop());

  it('verify --json: result matches the schema and holds no secret', async () => {
    const run = await sf.run(['iamra', 'aws', 'verify', ...goodArgs(endpoint), '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const result = run.json?.result as { assumedRoleArn: string; expiration: string };
    expect(result.assumedRoleArn).to.equal(`arn:aws:sts::123456789012:assumed-role/${ROLE_NAME}/1001`);
    expect(result.expiration).to.match(ISO_8601_UTC);
    expectMatchesSchema('iamra aws verify', run.json?.result);
    for (const secret of SECRETS) expect(run.stdout + run.stderr).not.to.include(secret);
  });

  it('verify --debug: prints the canonical request and string to sign on stderr, never key material or passphrase', async () => {
    const args = withFlag(goodArgs(endpoint), '--private-key', pki('leaf-rsa2048.key.aes256.pem'));
    const run = await sf.run(['iamra', 'aws', 'verify', ...args, '--debug'], { env: { IAMRA_KEY_PASSPHRASE: PASSPHRASE } });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.include('POST\n/sessions\nprofileArn=arn%3Aaws%3Arolesanywhere%3Aus-west-2');
    expect(run.stderr).to.match(/AWS4-X509-RSA-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-west-2\/rolesanywhere\/aws4_request\n[0-9a-f]{64}/);
    for (const secret of SECRETS) expect(run.stdout + run.stderr).not.to.include(secret);
  });

  it('verify: a diagnosed service error exits 1 with the code, message and fix, no stack trace (human and --json)', async () => {
    const args = withFlag(goodArgs(endpoint), '--trust-anchor-arn', ARN.anchorOtherCa);
    const human = await sf.run(['iamra', 'aws', 'verify', ...args]);
    expect(human.code).to.equal(1);
    expect(human.stderr).to.include('UntrustedCertificateError').and.include('AccessDeniedException: Untrusted signing certificate');
    expect(human.stderr).to.include('--intermediates');
    expect(human.stderr).not.to.match(STACK_TRACE);
    const json = await sf.run(['iamra', 'aws', 'verify', ...args, '--json']);
    expect(json.code).to.equal(1);
    expect(json.json).to.deep.include({ name: 'UntrustedCertificateError', status: 1 });
  });

  it('verify: a local refusal (expired certificate) sends nothing and names the problem', async () => {
    const before = endpoint.received.length;
    const run = await sf.run(['iamra', 'aws', 'verify', ...withFlag(goodArgs(endpoint), '--certificate', pki('leaf-expired.pem'))]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('ExpiredError').and.match(/expired/);
    expect(run.stderr).not.to.match(STACK_TRACE);
    expect(endpoint.received.length).to.equal(before);
  });

  it('credential-process: stdout is exactly one credential_process JSON, no trailing newline', async () => {
    const run = await sf.run(['iamra', 'aws', 'credential-process', ...goodArgs(endpoint)]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout.startsWith('{') && run.stdout.endsWith('}'), JSON.stringify(run.stdout)).to.equal(true);
    const output = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(output)).to.deep.equal(CREDENTIAL_PROCESS_KEYS);
    expect(output).to.deep.include({ Version: 1, AccessKeyId: ISSUED.accessKeyId, SecretAccessKey: ISSUED.secretAccessKey, SessionToken: ISSUED.sessionToken });
    expect(output.Expiration).to.match(ISO_8601_UTC);
    expectMatchesSchema('iamra aws credential-process', output);
    expect(run.stderr).not.to.include(ISSUED.secretAccessKey).and.not.include(ISSUED.sessionToken);
  });

  it('credential-process: errors go to stderr with exit 1 and an empty stdout, even with SF_CONTENT_TYPE=JSON', async () => {
    const args = withFlag(goodArgs(endpoint), '--profile-arn', ARN.profileNoRoles);
    const run = await sf.run(['iamra', 'aws', 'credential-process', ...args], { env: { SF_CONTENT_TYPE: 'JSON' } });
    expect(run.code).to.equal(1);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.include('RoleNotInProfileError').and.include('update-profile');
    expect(run.stderr).not.to.match(STACK_TRACE);
  });

  it('credential-process: has no --json (its stdout is the credential JSON itself)', async () => {
    const run = await sf.run(['iamra', 'aws', 'credential-process', ...goodArgs(endpoint), '--json']);
    expect(run.code).to.not.equal(0);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.match(/--json/);
  });

  it('credential-process: AWS tooling (botocore credential_process) accepts the output', async function () {
    const probe = spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      // To un-skip: `pip install botocore` (moto brings it too) for the python3 on PATH.
      // eslint-disable-next-line no-console
      console.warn('!!! SKIPPING the botocore credential_process check: python3 cannot import botocore here');
      this.skip();
    }
    const dir = tempDir('iamra-awscfg-').dir;
    const sfBin = join(projectRoot, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
    const command = [process.execPath, sfBin, 'iamra', 'aws', 'credential-process', ...goodArgs(endpoint)].join(' ');
    writeFileSync(join(dir, 'config'), `[profile iamra]\ncredential_process = ${command}\n`);
    const script = [
      'import botocore.session, json',
      "c = botocore.session.Session(profile='iamra').get_credentials()",
      'f = c.get_frozen_credentials()',
      "print(json.dumps({'method': c.method, 'accessKey': f.access_key, 'hasToken': bool(f.token), 'expiry': str(c._expiry_time)}))",
    ].join('\n');
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('python3', ['-c', script], {
        env: { ...sf.env(), AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
    expect(out.code, out.stderr).to.equal(0);
    const seen = JSON.parse(out.stdout) as { method: string; accessKey: string; hasToken: boolean; expiry: string };
    expect(seen).to.deep.include({ method: 'custom-process', accessKey: ISSUED.accessKeyId, hasToken: true });
    expect(seen.expiry).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$/);
  });
});
