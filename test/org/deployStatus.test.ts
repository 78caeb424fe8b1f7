import { expect } from 'chai';
import { ComponentStatus, type FileResponse } from '@salesforce/source-deploy-retrieve';
import { chooseTestLevel, componentFailures, deployedComponents, deployExitCode } from '../../src/shared/org/deployStatus.js';
import { isTransientError, withRetry } from '../../src/shared/org/retry.js';
import { certificateWarnings } from '../../src/shared/org/preflightChecks.js';

describe('deploy status (pure)', () => {
  it('maps statuses to the exit codes of sf project deploy start', () => {
    expect(['Succeeded', 'Failed', 'Canceled', 'SucceededPartial', 'InProgress', 'Pending', 'Whatever'].map(deployExitCode)).to.deep.equal([
      0, 1, 1, 68, 69, 69, 1,
    ]);
  });

  it('chooses NoTestRun outside production and leaves production to the user', () => {
    expect(chooseTestLevel({ isProduction: false })).to.equal('NoTestRun');
    expect(chooseTestLevel({ isProduction: true })).to.equal(undefined);
    expect(chooseTestLevel({ isProduction: true, requested: 'RunLocalTests' })).to.equal('RunLocalTests');
  });

  it('lists failures per component, adding API failures that have no file, and successes once per component', () => {
    const files: FileResponse[] = [
      { type: 'NamedCredential', fullName: 'APN_API_Connection', state: ComponentStatus.Failed, error: 'bad url', problemType: 'Error', filePath: 'a.xml', lineNumber: 3, columnNumber: 7 },
      { type: 'PermissionSet', fullName: 'PS', state: ComponentStatus.Created, filePath: 'ps.xml' },
      { type: 'PermissionSet', fullName: 'PS', state: ComponentStatus.Created, filePath: 'ps2.xml' },
    ];
    const failures = componentFailures(files, [
      { componentType: 'NamedCredential', fullName: 'APN_API_Connection', problem: 'dup' },
      { fullName: 'package.xml', problem: 'An object could not be found', problemType: 'Error' },
    ]);
    expect(failures).to.deep.equal([
      { type: 'NamedCredential', fullName: 'APN_API_Connection', problem: 'bad url', problemType: 'Error', filePath: 'a.xml', location: '3:7' },
      { type: 'UNKNOWN', fullName: 'package.xml', problem: 'An object could not be found', problemType: 'Error' },
    ]);
    expect(deployedComponents(files)).to.deep.equal([{ type: 'PermissionSet', fullName: 'PS', state: 'Created', filePath: 'ps.xml' }]);
  });
});

describe('retry of transient failures', () => {
  const noWait = (): Promise<void> => Promise.resolve();

  it('retries 503 and dropped connections, then succeeds', async () => {
    let calls = 0;
    const result = await withRetry(
      () => {
        calls++;
        if (calls === 1) return Promise.reject(Object.assign(new Error('Service Unavailable'), { errorCode: 'ERROR_HTTP_503' }));
        if (calls === 2) return Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        return Promise.resolve('ok');
      },
      { sleep: noWait }
    );
    expect(result).to.equal('ok');
    expect(calls).to.equal(3);
  });

  it('does not retry a real error and gives up after the attempts', async () => {
    let calls = 0;
    const fail = (message: string) => () => {
      calls++;
      return Promise.reject(new Error(message));
    };
    await withRetry(fail('INVALID_TYPE: no such thing'), { sleep: noWait }).catch(() => undefined);
    expect(calls).to.equal(1);
    calls = 0;
    await withRetry(fail('502 Bad Gateway'), { sleep: noWait, attempts: 2 }).catch(() => undefined);
    expect(calls).to.equal(2);
    expect(isTransientError(new Error('FIELD_INTEGRITY_EXCEPTION'))).to.equal(false);
  });
});

describe('certificate expiry', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('warns within the expiry policy, refuses an expired certificate, is quiet otherwise', () => {
    expect(certificateWarnings({ id: '1', developerName: 'iamra', expirationDate: '2026-01-20T00:00:00Z' }, now)[0]).to.match(
      /iamra expires on 2026-01-20 \(in 19 days\)/
    );
    expect(() => certificateWarnings({ id: '1', developerName: 'iamra', expirationDate: '2025-12-31T00:00:00Z' }, now)).to.throw(
      /expired on 2025-12-31/
    );
    expect(certificateWarnings({ id: '1', developerName: 'iamra', expirationDate: '2027-01-01T00:00:00Z' }, now)).to.deep.equal([]);
  });
});
