/*
 * Cross-component rules a deploy must pass: references to certificates, external credentials and principals
 * must resolve against the org or the same deploy; protocol-specific requirements; the Legacy conflict.
 * Documented ([doc]/[seen]) rules are written here; [inferred] details come from inferred.ts.
 */
import type { OrgState, UserRecord } from '../org/state.js';
import {
  type DeployComponent,
  externalCredentialParameters,
  namedCredentialParameters,
  principalAccesses,
  text,
} from './components.js';
import {
  AWS_VARIANTS,
  LABEL_MAX,
  REQUIRED_PARAMETER_TYPES,
  VARIANT_ONLY_AUTH_PARAMETERS,
  ROLES_ANYWHERE_REQUIRED_AUTH_PARAMETERS,
  SIGNED_CHAIN_MUST_MATCH_ORG_KEY,
  inferredMessages,
} from './inferred.js';
import { firstCertificate, holdsCertificate, samePublicKey } from './csr.js';
import { LEGACY_ONLY_NAMED_CREDENTIAL_FIELDS } from './metadataSchema.js';

/** Names visible to references: the org's plus those arriving in the same deploy. */
type Visible = {
  certificates: Set<string>;
  /** External credential -> its NamedPrincipal names. */
  principals: Map<string, string[]>;
};

export function visibleNames(components: DeployComponent[], state: OrgState): Visible {
  const certificates = new Set(state.certificates.map((c) => c.developerName));
  const principals = new Map(state.externalCredentials.map((e) => [e.developerName, state.principalsOf(e.developerName)]));
  for (const c of components) {
    if (c.type === 'Certificate') certificates.add(c.fullName);
    if (c.type === 'ExternalCredential') {
      const named = externalCredentialParameters(c.xml).filter((p) => p.parameterType === 'NamedPrincipal');
      principals.set(c.fullName, named.map((p) => p.parameterName));
    }
  }
  return { certificates, principals };
}

/** Adds each component's rule violations to its `problems` (schema problems are already there). */
export function checkRules(components: DeployComponent[], state: OrgState, deployer: UserRecord): void {
  const visible = visibleNames(components, state);
  for (const component of components) {
    if (!component.xml || component.problems.length > 0) continue;
    const check = RULES[component.type === 'Settings' ? `${component.fullName}Settings` : component.type];
    component.problems.push(...nameProblems(component), ...(check?.(component, visible, state, deployer) ?? []));
  }
}

type Rule = (c: DeployComponent, visible: Visible, state: OrgState, deployer: UserRecord) => string[];

/** Types whose fullName is a DeveloperName (Settings are named by the platform). */
const DEVELOPER_NAMED = ['ExternalCredential', 'NamedCredential', 'PermissionSet', 'Certificate'];

/** [doc] DeveloperName: letters, digits, `_`, starts with a letter, no `__`, no trailing `_` (docs/salesforce-metadata.md §8); label caps. */
function nameProblems(c: DeployComponent): string[] {
  if (!DEVELOPER_NAMED.includes(c.type)) return [];
  const problems = /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(c.fullName) ? [] : [inferredMessages.badDeveloperName(c.fullName)];
  const max = LABEL_MAX[c.type];
  const label = text(c.xml, 'label') ?? '';
  if (max !== undefined && label.length > max) problems.push(inferredMessages.labelTooLong('label', label, max));
  return problems;
}

/** One external credential; PrivateEndpoint needs its connection; allowed namespaces must be installed packages'. */
function namedCredentialShapeProblems(type: string, params: ReturnType<typeof namedCredentialParameters>, state: OrgState): string[] {
  const problems: string[] = [];
  if (type === 'PrivateEndpoint' && !params.some((p) => p.parameterType === 'OutboundNetworkConnection')) {
    problems.push(inferredMessages.privateEndpointWithoutConnection());
  }
  if (params.filter((p) => p.parameterType === 'Authentication').length > 1) problems.push(inferredMessages.severalExternalCredentials());
  for (const p of params.filter((x) => x.parameterType === 'AllowedManagedPackageNamespaces')) {
    // [doc] the namespaces are those of managed packages that may call through it (docs/salesforce-metadata.md §4).
    const ns = (p.parameterValue ?? '').toLowerCase();
    if (!state.installedPackages.some((pkg) => pkg.namespacePrefix.toLowerCase() === ns)) problems.push(inferredMessages.namespaceNotInstalled(p.parameterValue ?? ''));
  }
  return problems;
}

/** Parameter combinations an AwsSv4 credential may not have: sequence numbers off principals, another variant's parameters. */
function awsParameterProblems(params: ReturnType<typeof externalCredentialParameters>, variant: string): string[] {
  const problems: string[] = [];
  for (const p of params) {
    if (p.sequenceNumber !== undefined && p.parameterType !== 'NamedPrincipal') problems.push(inferredMessages.sequenceNumberNotPrincipal(p.parameterName));
    // [doc] AuthProviderUrlQueryParameter is for "AWS Signature V4 with STS" only (docs/salesforce-metadata.md §3).
    if (p.parameterType === 'AuthProviderUrlQueryParameter' && variant !== 'AwsSv4_STS') problems.push(inferredMessages.queryParameterStsOnly(variant));
    // [doc] trust anchor and profile ARNs are Roles Anywhere parameters, AwsStsExternalId is STS's (docs/salesforce-metadata.md §3).
    const only = p.parameterType === 'AuthParameter' ? VARIANT_ONLY_AUTH_PARAMETERS[p.parameterName] : undefined;
    if (only && only !== variant) problems.push(inferredMessages.parameterOfOtherVariant(p.parameterName, only, variant));
  }
  return problems;
}

const RULES: Record<string, Rule> = {
  ExternalCredential: (c, visible) => {
    const problems: string[] = [];
    const params = externalCredentialParameters(c.xml);
    const protocol = text(c.xml, 'authenticationProtocol') ?? '';
    for (const p of params.filter((x) => x.parameterType === 'SigningCertificate')) {
      // [doc] SigningCertificate names a certificate; an absent one cannot sign (docs/salesforce-metadata.md §3).
      const cert = p.certificate ?? p.parameterValue;
      if (!cert) problems.push(inferredMessages.requiredMissing('certificate', 'ExternalCredentialParameter'));
      else if (!visible.certificates.has(cert)) problems.push(inferredMessages.missingCertificate('certificate', cert));
    }
    if (protocol === 'AwsSv4') {
      const variant = params.find((p) => p.parameterType === 'AuthProtocolVariant')?.parameterValue;
      if (variant !== undefined && !AWS_VARIANTS.includes(variant)) problems.push(inferredMessages.badVariant(variant));
      const declared = new Set(params.map((p) => p.parameterType));
      const needed = REQUIRED_PARAMETER_TYPES[variant ?? 'default'] ?? REQUIRED_PARAMETER_TYPES.default;
      const missingTypes = needed.filter((t) => !declared.has(t));
      if (missingTypes.length > 0) {
        // [seen] wording (docs/salesforce-metadata.md §3).
        problems.push(
          `The authentication protocol ${protocol} requires the following external credential parameter types: ${missingTypes.join(', ')}`
        );
      }
      if (variant === 'RolesAnywhere') {
        const names = new Set(params.filter((p) => p.parameterType === 'AuthParameter').map((p) => p.parameterName));
        const missingNames = ROLES_ANYWHERE_REQUIRED_AUTH_PARAMETERS.filter((n) => !names.has(n));
        if (missingNames.length > 0) problems.push(inferredMessages.missingAuthParameter(variant, missingNames));
      }
      problems.push(...awsParameterProblems(params, variant ?? 'none'));
    }
    return problems;
  },

  NamedCredential: (c, visible, state) => {
    const problems: string[] = [];
    const type = text(c.xml, 'namedCredentialType') ?? 'Legacy';
    const params = namedCredentialParameters(c.xml);
    const existing = state.namedCredential(c.fullName);
    if (existing?.namedCredentialType === 'Legacy' && type !== 'Legacy') problems.push(inferredMessages.legacyConflict(c.fullName));
    if (type === 'SecuredEndpoint') {
      // [doc] these fields belong to Legacy credentials only (docs/salesforce-metadata.md §4).
      for (const field of LEGACY_ONLY_NAMED_CREDENTIAL_FIELDS) {
        if (c.xml && field in c.xml) problems.push(inferredMessages.legacyField(field));
      }
      if (!params.some((p) => p.parameterType === 'Url' && p.parameterValue)) problems.push(inferredMessages.missingUrl());
    }
    problems.push(...namedCredentialShapeProblems(type, params, state));
    for (const p of params) {
      if (p.parameterType === 'Authentication') {
        if (!p.externalCredential) problems.push(inferredMessages.requiredMissing('externalCredential', 'NamedCredentialParameter'));
        else if (!visible.principals.has(p.externalCredential)) problems.push(inferredMessages.missingExternalCredential(p.externalCredential));
      }
      if (p.parameterType === 'ClientCertificate') {
        if (!p.certificate) problems.push(inferredMessages.requiredMissing('certificate', 'NamedCredentialParameter'));
        else if (!visible.certificates.has(p.certificate)) problems.push(inferredMessages.missingCertificate('certificate', p.certificate));
      }
    }
    return problems;
  },

  PermissionSet: (c, visible) => {
    const problems: string[] = [];
    for (const access of principalAccesses(c.xml)) {
      // [doc] `<ExternalCredential>-<NamedPrincipal>`, plain dash (docs/salesforce-metadata.md §5). External credential names
      // cannot contain a dash, so the first dash splits.
      const dash = access.principal.indexOf('-');
      const ec = dash > 0 ? access.principal.slice(0, dash) : '';
      const principal = dash > 0 ? access.principal.slice(dash + 1) : '';
      if (!visible.principals.get(ec)?.includes(principal)) problems.push(inferredMessages.missingPrincipal(access.principal));
    }
    return problems;
  },

  Certificate: (c, _visible, state) => {
    // [doc] masterLabel is at most 64 characters.
    const label = text(c.xml, 'masterLabel') ?? '';
    if (label.length > 64) return [`masterLabel: data value too large: ${label} (max length=64)`];
    const crt = Object.entries(c.files).find(([path]) => !path.endsWith('-meta.xml'))?.[1]?.toString('utf8') ?? '';
    if (text(c.xml, 'caSigned') !== 'true' || !holdsCertificate(crt)) return [];
    // A signed chain for a CA-signed certificate: its leaf must carry the key the org holds [inferred].
    const leaf = firstCertificate(crt);
    if (!leaf) return [inferredMessages.badCertificateChain(c.fullName)];
    const orgKey = state.certificatePublicKey(c.fullName);
    if (SIGNED_CHAIN_MUST_MATCH_ORG_KEY && (!orgKey || !samePublicKey(orgKey, leaf.publicKey))) {
      return [inferredMessages.certificateKeyMismatch(c.fullName)];
    }
    return [];
  },

  IdentityProviderSettings: (c, visible, _state, deployer) => {
    const problems: string[] = [];
    // [doc] deploying IdentityProviderSettings needs Customize Application (docs/salesforce-metadata.md §7).
    if (!deployer.customizeApplication) problems.push(inferredMessages.noCustomizeApplication());
    const cert = text(c.xml, 'certificateName');
    if (cert && !visible.certificates.has(cert)) problems.push(inferredMessages.missingCertificate('certificateName', cert));
    return problems;
  },
};
