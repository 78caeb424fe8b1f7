/*
 * `npm run demo`: the whole job, through the real `sf` binary, against local simulators (no Salesforce
 * org or AWS account is needed; see test/simulator, test/aws and test/rolesanywhere/endpoint):
 *
 * A. CSR mode, zero manual steps, from the guide's CloudFormation stack on a local AWS endpoint
 *    (CloudFormation, AWS Private CA issuing from a real test CA, SigV4 checked):
 *      sf iamra configure --mode csr --stack-name iamra-partner-crm --target-org <org>
 *    the org makes the key, Private CA signs its CSR, then deploy, role ARN, permission set, smoke
 *    test, switch to S3; run again, it keeps the certificate and has nothing to change.
 * B. The JKS path from the same stack: keystore build --stack-name (ACM export, in memory), aws verify,
 *    the one manual step (the admin imports the keystore in Setup; simulated), configure.
 *
 * Its output stays in demo-out/ (git-ignored): the keystore and both example projects with their source.
 */
import { X509Certificate, randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SfCli, projectRoot, type SfRun } from '../test/helpers/sfCli.js';
import { VerifyingEndpoint } from '../test/rolesanywhere/endpoint/verifyingEndpoint.js';
import { startOrgSimulator } from '../test/simulator/index.js';
import { loginSf } from '../test/simulator/sfLogin.js';
import { awsWorld, GUIDE_ARNS, STACK } from '../test/aws/awsWorld.js';

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
const newProject = (name: string): string => {
  const dir = join(work, name);
  mkdirSync(join(dir, 'force-app'), { recursive: true });
  cpSync(join(projectRoot, 'sfdx-project.json'), join(dir, 'sfdx-project.json'));
  return dir;
};

const sf = SfCli.get();
// The user's AWS account: the guide's stack, its Private CA and ACM private certificate, behind a
// local endpoint the real SDK reaches through AWS_ENDPOINT_URL and fixture credential files.
const aws = await awsWorld({ pendingPolls: 1 });
// The same account as the org's callouts and the pre-flight reach it: the trust anchor trusts the stack's CA.
const account = {
  region: 'us-west-2',
  trustAnchors: [{ arn: GUIDE_ARNS.trustAnchor, caCertificates: [new X509Certificate(aws.ca.rootPem)] }],
  profiles: [{ arn: GUIDE_ARNS.profile, roleArns: [GUIDE_ARNS.role], durationSeconds: 3600 }],
  roles: [{ arn: GUIDE_ARNS.role, trustsRolesAnywhere: true }],
};
const env = { ...aws.env, SF_IAMRA_POLL_MS: '200' };
const endpoint = new VerifyingEndpoint(account);
const sims: Array<{ close(): Promise<void> }> = [];
try {
  // The connector (namespace awsapn) is installed in each org.
  const csrOrg = await startOrgSimulator({ orgType: 'sandbox', aws: account, seed: (state) => state.installPackage('awsapn') });
  sims.push(csrOrg);
  await loginSf(sf, csrOrg, 'iamra-demo-csr');
  const csrProject = newProject('csr-project');

  say(`A. sf iamra configure --mode csr --stack-name ${STACK} (zero manual steps; org simulator at ${csrOrg.instanceUrl}, AWS at ${aws.endpoint.url})`);
  show(await sf.run(['iamra', 'configure', '--mode', 'csr', '--stack-name', STACK, '--target-org', 'iamra-demo-csr'], { cwd: csrProject, env }));
  process.stdout.write(`AWS calls: ${aws.endpoint.calls.map((c) => `${c.operation} ${c.status}`).join(', ')}\n`);

  say('A again: the same command is safe to re-run (the certificate is kept, nothing to change)');
  show(await sf.run(['iamra', 'configure', '--mode', 'csr', '--stack-name', STACK, '--target-org', 'iamra-demo-csr'], { cwd: csrProject, env }));

  // Secrets travel by environment variable, never argv; the keystore password is made here for the demo.
  const secrets = { ...env, IAMRA_KEYSTORE_PASSWORD: randomBytes(12).toString('base64url') };
  const jks = join(work, 'iamra.jks');
  say(`B1. sf iamra keystore build --stack-name ${STACK} --yes (ACM ExportCertificate, decrypted in memory; no PEM or key on disk)`);
  show(await sf.run(['iamra', 'keystore', 'build', '--stack-name', STACK, '--output', jks, '--yes'], { cwd: work, env: secrets }));

  say('B2. sf iamra aws verify (IAM Roles Anywhere CreateSession against a local verifying endpoint)');
  await endpoint.start();
  show(await sf.run(['iamra', 'aws', 'verify', '--keystore', jks, '--stack-name', STACK, '--endpoint', endpoint.url], { cwd: work, env: secrets }));

  say('B3. The admin imports iamra.jks in Setup > Certificate and Key Management (simulated: Salesforce has no API for it)');
  const jksOrg = await startOrgSimulator({ orgType: 'sandbox', aws: account, seed: (state) => state.installPackage('awsapn') });
  sims.push(jksOrg);
  jksOrg.state.identityProvider.enabled = true;
  jksOrg.state.importKeystore(readFileSync(jks), secrets.IAMRA_KEYSTORE_PASSWORD);
  await loginSf(sf, jksOrg, 'iamra-demo-jks');

  say(`B4. sf iamra configure --stack-name ${STACK} --keystore iamra.jks (deploy for STS, role ARN, permission set, smoke test, switch to S3)`);
  show(
    await sf.run(
      ['iamra', 'configure', '--target-org', 'iamra-demo-jks', '--stack-name', STACK, '--preflight', '--keystore', jks, '--endpoint', endpoint.url],
      { cwd: newProject('jks-project'), env: secrets }
    )
  );
  say(`Done. Keystore: ${jks}; generated source under ${work}. Both orgs now call AWS through S3.`);
} finally {
  for (const sim of sims) await sim.close(); // eslint-disable-line no-await-in-loop
  await endpoint.stop();
  await aws.close();
}
