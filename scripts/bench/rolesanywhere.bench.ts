/*
 * IAM Roles Anywhere pre-flight: cost of building + signing CreateSession, of one verify round trip
 * against the local verifying endpoint in-process, and of `sf iamra aws verify` through the real sf
 * binary (what an admin runs; dominated by sf start-up). Numbers only, never pass/fail.
 */
import { buildCreateSessionRequest } from '../../src/shared/rolesanywhere/createSessionRequest.js';
import { verifyRolesAnywhere } from '../../src/shared/rolesanywhere/createSession.js';
import { SfCli } from '../../test/helpers/sfCli.js';
import { loadVector, parseAmzDate, vectorMaterial } from '../../test/rolesanywhere/vectors.js';
import { ARN, pki } from '../../test/helpers/fixtures.js';
import { goodArgs, newEndpoint } from '../../test/rolesanywhere/world.js';
import { type BenchReport, type BenchRow, timeMedian } from './measure.js';

export default async function bench(): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  for (const name of ['rsa2048-chain', 'ec-p256'] as const) {
    const v = loadVector(name);
    const { key, leaf, intermediates } = vectorMaterial(v);
    const target = { endpoint: new URL(`http://${v.inputs.endpointHost}`), ...v.inputs };
    const runs = 200;
    rows.push({
      name: `build + sign CreateSession (${name})`,
      // eslint-disable-next-line no-await-in-loop
      medianMs: await timeMedian(runs, () => buildCreateSessionRequest(target, { key, leaf, intermediates }, parseAmzDate(v.xAmzDate))),
      runs,
    });
  }
  const endpoint = await newEndpoint().start();
  try {
    const request = {
      credential: { kind: 'pem' as const, certificateFile: pki('leaf-rsa2048.pem'), privateKeyFile: pki('leaf-rsa2048.key.pem'), chainFiles: [pki('chain.pem')] },
      trustAnchorArn: ARN.anchor,
      profileArn: ARN.profile,
      roleArn: ARN.role,
      endpoint: endpoint.url,
    };
    rows.push({ name: 'verifyRolesAnywhere in-process (read+check+sign+HTTP)', medianMs: await timeMedian(30, () => verifyRolesAnywhere(request)), runs: 30, extra: { httpRequestsPerRun: 1 } });
    const sf = SfCli.get();
    rows.push({
      name: 'sf iamra aws verify (real sf binary)',
      medianMs: await timeMedian(3, () => sf.run(['iamra', 'aws', 'verify', ...goodArgs(endpoint), '--json'])),
      runs: 3,
    });
  } finally {
    await endpoint.stop();
  }
  return {
    title: 'IAM Roles Anywhere pre-flight (CreateSession)',
    rows,
    notes: [
      "Today's manual route (download aws_signing_helper, decrypt the key to a file, run credential-process) cannot be timed here: the helper binary is not installed and no AWS account is reachable.",
    ],
  };
}
