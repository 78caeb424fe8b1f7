/*
 * `npm run demo`: the whole job on the bundled example, through the real `sf` binary, against the
 * local simulators (no Salesforce org or AWS account is needed; see test/simulator and
 * test/rolesanywhere/endpoint). Runs in a temporary copy of the example project.
 *
 *   1. sf iamra keystore build      AWS Private CA PEMs -> iamra.jks (no Java, no openssl)
 *   2. sf iamra aws verify          CreateSession pre-flight against a local verifying endpoint
 *   3. (the admin imports iamra.jks in Setup; simulated: Salesforce offers no API for it)
 *   4. sf iamra configure           deploy, role ARN, permission set, smoke test, switch to S3
 *
 * Its output stays in demo-out/ (git-ignored): iamra.jks and the example project with its source.
 */
import { X509Certificate, randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SfCli, projectRoot, type SfRun } from '../test/helpers/sfCli.js';
import { VerifyingEndpoint } from '../test/rolesanywhere/endpoint/verifyingEndpoint.js';
import { startOrgSimulator } from '../test/simulator/index.js';
import { loginSf } from '../test/simulator/sfLogin.js';

const example = (file: string): string => join(projectRoot, 'test', 'fixtures', 'pki', 'example', file);
const stackOutputs = join(projectRoot, 'config', 'example-stack-outputs.json');
const outputs = (JSON.parse(readFileSync(stackOutputs, 'utf8')) as { Stacks: Array<{ Outputs: Array<{ OutputValue: string }> }> })
  .Stacks[0].Outputs.map((o) => o.OutputValue);
const arn = (pattern: RegExp): string => outputs.find((value) => pattern.test(value))!;
const ARNS = { trustAnchor: arn(/:trust-anchor\//), profile: arn(/:profile\//), role: arn(/:role\//) };

// Kept after the run (git-ignored) so the keystore and generated source can be looked at.
const work = join(projectRoot, 'demo-out');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const say = (text: string): void => void process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n`);
const show = (run: SfRun): SfRun => {
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.code !== 0) throw new Error(`sf exited ${run.code}`);
  return run;
};

// Secrets travel by environment variable, never argv; the keystore password is made here for the demo.
const secrets = {
  IAMRA_KEY_PASSPHRASE: readFileSync(example('passphrase.txt'), 'utf8').trim(),
  IAMRA_KEYSTORE_PASSWORD: randomBytes(12).toString('base64url'),
};

const sf = SfCli.get();
// The AWS account of the example stack, as the pre-flight sees it and as the org's callouts reach it.
const account = {
  region: 'us-west-2',
  trustAnchors: [{ arn: ARNS.trustAnchor, caCertificates: [rootOf(example('certificate_chain.pem'))] }],
  profiles: [{ arn: ARNS.profile, roleArns: [ARNS.role], durationSeconds: 3600 }],
  roles: [{ arn: ARNS.role, trustsRolesAnywhere: true }],
};
const endpoint = new VerifyingEndpoint(account);
// The connector (namespace awsapn) is installed in the org.
const sim = await startOrgSimulator({ orgType: 'sandbox', aws: account, seed: (state) => state.installPackage('awsapn') });
try {
  // The example project: sfdx-project.json and the stack outputs, in a scratch directory.
  const project = join(work, 'project');
  mkdirSync(join(project, 'force-app'), { recursive: true });
  cpSync(join(projectRoot, 'sfdx-project.json'), join(project, 'sfdx-project.json'));
  const jks = join(work, 'iamra.jks');

  say('1. sf iamra keystore build (from the PEMs AWS Certificate Manager exported)');
  show(
    sf.runSync(
      ['iamra', 'keystore', 'build', '--certificate', example('certificate.pem'), '--private-key', example('private_key.pem'),
        '--chain', example('certificate_chain.pem'), '--output', jks],
      { env: secrets }
    )
  );

  say('2. sf iamra aws verify (IAM Roles Anywhere CreateSession against a local verifying endpoint)');
  await endpoint.start();
  show(
    await sf.run(
      ['iamra', 'aws', 'verify', '--keystore', jks, '--stack-outputs', stackOutputs, '--endpoint', endpoint.url],
      { env: secrets }
    )
  );

  say('3. The admin imports iamra.jks in Setup > Certificate and Key Management (simulated)');
  sim.state.identityProvider.enabled = true;
  sim.state.importKeystore(readFileSync(jks), secrets.IAMRA_KEYSTORE_PASSWORD);
  await loginSf(sf, sim, 'iamra-demo');
  process.stdout.write(`Org simulator at ${sim.instanceUrl}, logged in as ${sim.username} (alias iamra-demo)\n`);

  say('4. sf iamra configure (deploy for STS, role ARN, permission set, smoke test, switch to S3)');
  show(
    await sf.run(
      ['iamra', 'configure', '--target-org', 'iamra-demo', '--stack-outputs', stackOutputs, '--preflight',
        '--keystore', jks, '--endpoint', endpoint.url],
      { cwd: project, env: secrets }
    )
  );
  say(`Done. Keystore: ${jks}; generated source: ${join(project, 'force-app')}. The org now calls AWS through S3.`);
} finally {
  await sim.close();
  await endpoint.stop();
}

function rootOf(chainFile: string): X509Certificate {
  const pems = readFileSync(chainFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  const certs = pems.map((pem) => new X509Certificate(pem));
  return certs.find((c) => c.subject === c.issuer) ?? certs[certs.length - 1];
}
