/*
 * Pure: repoint the external credential's SigningCertificate parameter and the named credential's
 * ClientCertificate parameter from one certificate to another, in the components' metadata XML as
 * the org returned it, touching nothing else (whatever else the org holds stays as it is).
 */

const PARAMETER_BLOCKS: Record<'ExternalCredential' | 'NamedCredential', { element: string; type: string }> = {
  ExternalCredential: { element: 'externalCredentialParameters', type: 'SigningCertificate' },
  NamedCredential: { element: 'namedCredentialParameters', type: 'ClientCertificate' },
};

/** The certificate a component's signing (or client) certificate parameter names; undefined when none. */
export function certificateIn(kind: keyof typeof PARAMETER_BLOCKS, xml: string): string | undefined {
  const block = blocks(kind, xml).find((b) => b.includes(`<parameterType>${PARAMETER_BLOCKS[kind].type}</parameterType>`));
  return block ? /<certificate>([^<]*)<\/certificate>/.exec(block)?.[1] ?? /<parameterValue>([^<]*)<\/parameterValue>/.exec(block)?.[1] : undefined;
}

/** The XML with `from` replaced by `to` inside the certificate parameter only. */
export function repoint(kind: keyof typeof PARAMETER_BLOCKS, xml: string, from: string, to: string): string {
  const { type } = PARAMETER_BLOCKS[kind];
  return blocks(kind, xml).reduce(
    (doc, block) =>
      block.includes(`<parameterType>${type}</parameterType>`)
        ? doc.replace(block, block.split(`>${from}<`).join(`>${to}<`))
        : doc,
    xml
  );
}

function blocks(kind: keyof typeof PARAMETER_BLOCKS, xml: string): string[] {
  const { element } = PARAMETER_BLOCKS[kind];
  return xml.match(new RegExp(`<${element}>[\\s\\S]*?</${element}>`, 'g')) ?? [];
}
