/*
 * --stack-name through the real sf and the real AWS SDK, against the local control-plane endpoint:
 * the outputs come from CloudFormation DescribeStacks signed for the right region and service, and
 * every way reading a stack fails is a row a user sees in words, with the fix and no stack trace.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfCli, STACK_TRACE } from '../helpers/sfCli.js';
import { tempDir as makeTempDir } from '../helpers/tempProject.js';
import { awsWorld, GUIDE_ARNS, guideOutputs, KEYS, REGION, STACK, type AwsWorld, type AwsWorldOptions } from './awsWorld.js';

type GenerateJson = { inputs: Record<string, { value: string; source: { from: string; file?: string; outputKey?: string } }> };

describe('--stack-name: stack outputs from CloudFormation DescribeStacks (real sf, real SDK)', function () {
  this.timeout(120_000);
  let sf: SfCli;
  let world: AwsWorld;
  const dirs: Array<{ cleanup: () => void }> = [];
  const tempDir = (): string => {
    const made = makeTempDir('iamra-stack-name-');
    dirs.push(made);
    return made.dir;
  };
  after(() => dirs.forEach((d) => d.cleanup()));
  before(async () => {
    sf = SfCli.get();
    world = await awsWorld();
  });
  after(async () => world?.close());

  const generate = (args: string[], env: NodeJS.ProcessEnv = {}): ReturnType<SfCli['run']> =>
    sf.run(['iamra', 'metadata', 'generate', '--output-dir', tempDir(), ...args], { env: { ...world.env, ...env } });

  it('metadata generate picks the three ARNs from the stack by what they are, naming the stack and output', async () => {
    const before = world.endpoint.calls.length;
    const run = await generate(['--stack-name', STACK, '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const inputs = (run.json?.result as GenerateJson).inputs;
    expect(inputs.trustAnchorArn.value).to.equal(GUIDE_ARNS.trustAnchor);
    expect(inputs.profileArn.value).to.equal(GUIDE_ARNS.profile);
    expect(inputs.roleArn).to.deep.equal({
      value: GUIDE_ARNS.role,
      source: { from: 'stack-outputs', file: `stack ${STACK} (${REGION})`, outputKey: 'aceintegrationrole' },
    });
    const calls = world.endpoint.calls.slice(before);
    expect(calls.map((c) => `${c.service}:${c.operation}:${c.region}:${c.status}`)).to.deep.equal([`cloudformation:DescribeStacks:${REGION}:200`]);
  });

  it('--aws-profile chooses the credentials; the profile region does not move a stack lookup given --aws-region', async () => {
    const run = await generate(['--stack-name', STACK, '--aws-profile', 'ci', '--aws-region', REGION, '--json']);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
  });

  it('throttling is retried: two ThrottlingErrors, then the outputs', async () => {
    const throttled = await awsWorld({ throttle: { DescribeStacks: 2 } });
    try {
      const run = await sf.run(['iamra', 'metadata', 'generate', '--output-dir', tempDir(), '--stack-name', STACK, '--json'], { env: throttled.env });
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(throttled.endpoint.calls.map((c) => c.status)).to.deep.equal([400, 400, 200]);
    } finally {
      await throttled.close();
    }
  });

  it('aws verify and deploy take --stack-name too (their flags say so)', () => {
    for (const command of [['iamra', 'aws', 'verify'], ['iamra', 'deploy'], ['iamra', 'configure'], ['iamra', 'aws', 'credential-process']]) {
      const help = sf.runSync([...command, '--help']);
      expect(help.stdout, command.join(' ')).to.match(/--stack-name=<value>/).and.match(/--aws-profile=<value>/).and.match(/--aws-region=<value>/);
    }
  });

  it('--stack-name and --stack-outputs together are refused', async () => {
    const run = await generate(['--stack-name', STACK, '--stack-outputs', 'config/example-stack-outputs.json']);
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.match(/cannot also be provided when using --stack-outputs|--stack-outputs=.*cannot also be provided/);
  });

  type Row = { name: string; world?: AwsWorldOptions; args?: string[]; env?: (w: AwsWorld) => NodeJS.ProcessEnv; message: RegExp; action?: RegExp };
  const rows: Row[] = [
    { name: 'a stack that does not exist', args: ['--stack-name', 'no-such-stack'], message: /no CloudFormation stack "no-such-stack" in region us-west-2/, action: /--aws-region/ },
    { name: 'the wrong region (stacks are regional)', args: ['--stack-name', STACK, '--aws-region', 'eu-west-1'], message: new RegExp(`no CloudFormation stack "${STACK}" in region eu-west-1`), action: /pass the region it was created in with --aws-region/ },
    { name: 'a profile whose region is another one', args: ['--stack-name', STACK, '--aws-profile', 'ci'], message: /in region eu-west-1/ },
    { name: 'a malformed --aws-region', args: ['--stack-name', STACK, '--aws-region', 'Oregon'], message: /--aws-region "Oregon" is not an AWS region name/ },
    {
      name: 'a stack whose create rolled back',
      world: { stacks: guideOutputs()!.map((s) => ({ ...s, status: 'ROLLBACK_COMPLETE' })) },
      args: ['--stack-name', STACK],
      message: new RegExp(`Stack "${STACK}" in us-west-2 is ROLLBACK_COMPLETE`),
      action: /aws cloudformation wait stack-create-complete/,
    },
    {
      name: 'a stack still being created',
      world: { stacks: guideOutputs()!.map((s) => ({ ...s, status: 'CREATE_IN_PROGRESS' })) },
      args: ['--stack-name', STACK],
      message: /is CREATE_IN_PROGRESS/,
    },
    {
      name: 'AccessDenied (names the IAM action)',
      world: { deniedActions: ['cloudformation:DescribeStacks'] },
      args: ['--stack-name', STACK],
      message: /AWS denied cloudformation:DescribeStacks on iamra-partner-crm \(region us-west-2\)/,
      action: /Allow the IAM action cloudformation:DescribeStacks/,
    },
    { name: 'throttling that does not stop', world: { throttle: { DescribeStacks: 50 } }, args: ['--stack-name', STACK], message: /kept throttling cloudformation:DescribeStacks in us-west-2/ },
    {
      name: 'no credentials',
      args: ['--stack-name', STACK, '--aws-profile', 'empty'],
      env: (w) => ({ AWS_SHARED_CREDENTIALS_FILE: join(w.dir, 'nothing') }),
      message: /No AWS credentials found for profile "empty"/,
      action: /aws configure --profile empty/,
    },
    {
      name: 'credentials AWS does not know',
      args: ['--stack-name', STACK],
      env: () => ({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000', AWS_SECRET_ACCESS_KEY: 'not-known-to-the-endpoint' }),
      message: /AWS does not recognise the credentials of profile "default"/,
    },
    {
      name: 'an expired session token',
      args: ['--stack-name', STACK],
      env: () => ({
        AWS_ACCESS_KEY_ID: KEYS.expiredSession.accessKeyId,
        AWS_SECRET_ACCESS_KEY: KEYS.expiredSession.secretAccessKey,
        AWS_SESSION_TOKEN: KEYS.expiredSession.sessionToken,
      }),
      message: /The AWS credentials of profile "default" have expired: The security token included in the request is expired/,
      action: /Renew the session/,
    },
    {
      name: 'an expired SSO session',
      args: ['--stack-name', STACK, '--aws-profile', 'corp-sso'],
      env: (w) => ssoProfile(w, sf.home),
      message: /The AWS SSO session of profile "corp-sso" has expired/,
      action: /aws sso login --profile corp-sso/,
    },
  ];
  for (const row of rows) {
    it(`refuses ${row.name}, in words, without a stack trace`, async () => {
      const w = row.world ? await awsWorld(row.world) : world;
      try {
        const env = { ...w.env, ...(row.env?.(w) ?? {}) };
        const json = await sf.run(['iamra', 'metadata', 'generate', '--output-dir', tempDir(), ...(row.args ?? []), '--json'], { env });
        expect(json.code, json.stdout + json.stderr).to.equal(1);
        expect(json.json?.message).to.match(row.message);
        if (row.action) expect((json.json?.actions ?? []).join('\n')).to.match(row.action);
        const human = await sf.run(['iamra', 'metadata', 'generate', '--output-dir', tempDir(), ...(row.args ?? [])], { env });
        expect(human.code).to.equal(1);
        expect(human.stderr).to.match(row.message);
        expect(human.stderr).to.not.match(STACK_TRACE);
        for (const secret of [KEYS.default.secretAccessKey, KEYS.expiredSession.secretAccessKey, KEYS.expiredSession.sessionToken]) {
          expect(human.stdout + human.stderr + json.stdout).to.not.include(secret);
        }
      } finally {
        if (w !== world) await w.close();
      }
    });
  }
});

/** A profile on an IAM Identity Center session whose cached token expired yesterday (no refresh token). */
function ssoProfile(w: AwsWorld, home: string): NodeJS.ProcessEnv {
  const config = join(w.dir, 'sso-config');
  writeFileSync(
    config,
    '[profile corp-sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = PartnerAdmin\nregion = us-west-2\n\n' +
      '[sso-session corp]\nsso_start_url = https://corp.awsapps.example/start\nsso_region = us-west-2\nsso_registration_scopes = sso:account:access\n'
  );
  const cache = join(home, '.aws', 'sso', 'cache');
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`),
    JSON.stringify({ startUrl: 'https://corp.awsapps.example/start', region: 'us-west-2', accessToken: 'expired-test-token', expiresAt: new Date(Date.now() - 86_400_000).toISOString() })
  );
  return { AWS_CONFIG_FILE: config };
}
