import { Readable } from 'node:stream';
import { expect } from 'chai';
// SDR's own writer, to prove our bytes are the bytes `sf project retrieve`/convert would write.
import { JsToXml } from '@salesforce/source-deploy-retrieve/lib/src/convert/streams.js';
import { toMetadataXml, XML_DECLARATION } from '../../src/shared/metadata/xml.js';

async function sdrXml(root: string, body: Record<string, unknown>): Promise<string> {
  const stream: Readable = new JsToXml({ [root]: { '@_xmlns': 'http://soap.sforce.com/2006/04/metadata', ...body } });
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('metadata xml', () => {
  it('writes the same bytes as SDR 13 for sorted input (entities, booleans, numbers, arrays, comments)', async () => {
    const body = {
      alpha: [{ b: 'x & y <z> \'q\' "d" &#160;', c: 1 }, { b: 'two' }],
      beta: true,
      gamma: 3600,
    };
    expect(toMetadataXml('Thing', body)).to.equal(await sdrXml('Thing', body));
    const withComment = { '#xml__comment': ' note ', ...body };
    expect(toMetadataXml('Thing', body, 'note')).to.equal(await sdrXml('Thing', withComment));
  });

  it('sorts elements alphabetically at every level, drops undefined, ends with one newline', () => {
    const xml = toMetadataXml('Root', { zeta: 'z', alpha: [{ two: '2', one: '1', none: undefined }] });
    expect(xml.startsWith(XML_DECLARATION + '<Root xmlns="http://soap.sforce.com/2006/04/metadata">\n')).to.equal(true);
    expect(xml).to.equal(
      XML_DECLARATION +
        '<Root xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
        '    <alpha>\n        <one>1</one>\n        <two>2</two>\n    </alpha>\n' +
        '    <zeta>z</zeta>\n</Root>\n'
    );
  });
});
