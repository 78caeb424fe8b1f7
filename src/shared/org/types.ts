/** Names of the Roles Anywhere set in the org, spelled as the metadata builder spells them (defaults: metadata DEFAULT_NAMES). */
export type OrgNames = {
  namedCredential: string;
  externalCredential: string;
  /** The external credential's NamedPrincipal parameter name. */
  principal: string;
  permissionSet: string;
  /** DeveloperName of the imported signing certificate. */
  signingCertificate: string;
};

/** Callbacks through which adapters report progress; the command wires them to its spinner and warnings. */
export type OrgProgress = {
  status?: (message: string) => void;
  warn?: (message: string) => void;
};

