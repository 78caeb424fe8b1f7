import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { doctorFlags } from '../../flags/doctor.js';
import { printDoctorResult } from '../../formatters/doctorTable.js';
import { runDoctor } from '../../shared/doctor/service.js';
import type { DoctorResult } from '../../shared/doctor/types.js';
import { secretRoutesFromFlags } from '../../flags/secrets.js';
import { secretAsker } from '../../shared/secrets.js';
import { credentialSetInputFromFlags } from '../../flags/credentialSet.js';
import { withSessionCheck } from '../../shared/org/orgErrors.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.doctor');

export type IamraDoctorResult = DoctorResult;

/** Exit code when a check fails (the report is still printed and returned). */
const EXIT_CHECK_FAILED = 1;

export default class IamraDoctor extends SfCommand<IamraDoctorResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly flags = doctorFlags;

  public async run(): Promise<IamraDoctorResult> {
    const { flags } = await this.parse(IamraDoctor);
    const org = flags['target-org'];
    const username = org.getUsername() ?? '';
    const { names, ...credentialSet } = credentialSetInputFromFlags(flags);
    const local =
      flags.keystore ?? flags.certificate
        ? {
            keystore: flags.keystore,
            certificate: flags.certificate,
            askSecret: secretAsker(secretRoutesFromFlags(flags, this)),
          }
        : undefined;
    this.spinner.start(messages.getMessage('spinner', [username]));
    const result = await withSessionCheck(username, () =>
      runDoctor({
        connection: org.getConnection(flags['api-version']),
        username,
        names,
        credentialSet,
        assignTo: flags['assign-to'],
        callout: flags.callout,
        local,
      })
    ).finally(() => this.spinner.stop());
    printDoctorResult(this, result, username);
    if (!result.passed) process.exitCode = EXIT_CHECK_FAILED;
    return result;
  }
}
