import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkSvg, maxSvgBytes, maxSvgElements } from './svg-check.ts';

let folder: string;
let count = 0;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'svg-check-test-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function check(svg: string | Buffer) {
  const bytes = typeof svg === 'string' ? Buffer.from(svg) : svg;
  const path = join(folder, `${++count}.svg`);
  await writeFile(path, bytes);
  return checkSvg(path, bytes.length);
}

const open = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64">';

function reasonOf(result: Awaited<ReturnType<typeof check>>): string {
  if (result.outcome !== 'rejected') throw new Error('expected a rejection');
  return result.reason;
}

describe('an SVG as design tools export it is accepted', () => {
  test('with an XML declaration, a generator comment, a plain DOCTYPE, gradients, <use> inside the file and CSS in CDATA', async () => {
    const svg = `<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg version="1.1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px" width="200px" height="100px" viewBox="0 0 200 100">
  <style type="text/css"><![CDATA[ .st0 { fill: url(#g); stroke: #333 } ]]></style>
  <defs>
    <linearGradient id="g"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/></linearGradient>
    <filter id="blur"><feGaussianBlur stdDeviation="2"/></filter>
    <path id="shape" d="M10 10 H 90 V 90 H 10 Z"/>
  </defs>
  <title id="title">Logo</title>
  <rect class="st0" width="200" height="100" filter="url(#blur)"/>
  <use xlink:href="#shape" x="100"/>
  <a href="#shape"><text x="10" y="20" style="font-family: sans-serif">A &amp; B</text></a>
  <image width="10" height="10" href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="/>
</svg>
`;

    expect(await check(svg)).toEqual({ outcome: 'clean', width: 200, height: 100 });
  });

  test('sized from the viewBox when width and height are not numbers, keeping its aspect ratio when one is', async () => {
    const box = 'viewBox="0 0 300 150"';
    const shape = '<rect width="1" height="1"/></svg>';

    expect(await check(`<svg xmlns="http://www.w3.org/2000/svg" width="100%" ${box}>${shape}`)).toEqual({ outcome: 'clean', width: 300, height: 150 });
    expect(await check(`<svg xmlns="http://www.w3.org/2000/svg" width="600" ${box}>${shape}`)).toEqual({ outcome: 'clean', width: 600, height: 300 });
    expect(await check(`<svg xmlns="http://www.w3.org/2000/svg" width="10cm">${shape}`)).toEqual({ outcome: 'clean', width: null, height: null });
  });
});

describe('an SVG that could run or load something is refused, naming what was found', () => {
  test.each([
    ['a script', `${open}<script>alert(1)</script></svg>`, '<script>'],
    ['an event handler', `${open}<rect width="5" height="5" onclick="alert(1)"/></svg>`, 'onclick="alert(1)" on <rect>'],
    ['a handler on the root', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'onload="alert(1)" on <svg>'],
    ['a javascript: link', `${open}<a href="javascript:alert(1)"><rect width="5" height="5"/></a></svg>`, 'href="javascript:alert(1)" on <a>'],
    ['a foreignObject', `${open}<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject></svg>`, '<foreignObject>'],
    ['an external image', `${open}<image href="https://tracker.example/p.png"/></svg>`, 'an external reference href="https://tracker.example/p.png" on <image>'],
    ['a <use> of another file', `${open}<use xlink:href="sprite.svg#icon"/></svg>`, 'an external reference xlink:href="sprite.svg#icon" on <use>'],
    ['a link out', `${open}<a href="https://example.com/"><rect width="5" height="5"/></a></svg>`, 'an external reference href="https://example.com/" on <a>'],
    ['an SVG as a data: URL', `${open}<image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>`, 'on <image>'],
    ['a remote url() in a presentation attribute', `${open}<rect width="5" height="5" fill="url(https://x.example/p#g)"/></svg>`, 'url(https://x.example/p#g) in fill on <rect>'],
    ['a remote url() in a style attribute', `${open}<rect style="fill: url('//x.example/a.svg#g')"/></svg>`, 'url(//x.example/a.svg#g) in style on <rect>'],
    ['an @import', `${open}<style>@import "https://x.example/a.css";</style></svg>`, '@import in <style>'],
    ['a remote font', `${open}<style>@font-face { font-family: f; src: url(https://x.example/f.woff) }</style></svg>`, 'url(https://x.example/f.woff) in <style>'],
    ['a CSS escape', `${open}<style>rect { fill: \\75rl(https://x.example/) }</style></svg>`, 'a CSS escape in <style>'],
    ['a stylesheet processing instruction', `<?xml-stylesheet href="https://x.example/a.css"?>${open}</svg>`, 'not start with an <svg>'],
    ['an editor’s private elements', `${open}<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"/></svg>`, '<sodipodi:namedview>'],
    ['a base URL', `${open}<g xml:base="https://x.example/"><use href="#a"/></g></svg>`, 'xml:base="https://x.example/" on <g>'],
    ['an element moved to the XHTML namespace', `${open}<g xmlns="http://www.w3.org/1999/xhtml"><rect width="5" height="5"/></g></svg>`, 'xmlns="http://www.w3.org/1999/xhtml" on <g>'],
  ])('%s', async (_, svg, found) => {
    const reason = reasonOf(await check(svg));

    expect(reason).toContain(found);
  });

  test('markup the HTML parser reads as text but a browser’s XML parser runs is refused', async () => {
    // Parsed as HTML (as the sanitiser does), <title> inside <desc> is an HTML title whose
    // content is text; parsed as XML (as a browser opening the file does), it holds an SVG
    // <script>.
    const svg = `${open}<desc><title><script>alert(1)</script></title></desc></svg>`;

    expect(reasonOf(await check(svg))).toMatch(/^the SVG is not clean: /);
  });

  test('entities declared in a DOCTYPE are refused', async () => {
    const svg = `<?xml version="1.0"?>
<!DOCTYPE svg [ <!ENTITY s "&#60;script&#62;alert(1)&#60;/script&#62;"> ]>
<svg xmlns="http://www.w3.org/2000/svg">&s;</svg>`;

    expect(reasonOf(await check(svg))).toBe('the SVG has a DOCTYPE with declarations of its own (XML entities are refused)');
  });

  test('the list of findings is kept short', async () => {
    const handlers = Array.from({ length: 10 }, (_, index) => `<rect id="r${index}" onclick="f${index}()"/>`).join('');

    expect(reasonOf(await check(`${open}${handlers}</svg>`))).toMatch(/ and 4 more$/);
  });
});

describe('bytes that are not an SVG document are refused', () => {
  test.each([
    ['an HTML document', '<!DOCTYPE html><html><body><svg xmlns="http://www.w3.org/2000/svg"/></body></html>', 'the bytes do not parse as SVG: the DOCTYPE is not an SVG one'],
    ['an <svg> outside the SVG namespace', '<svg width="5" height="5"><rect width="5" height="5"/></svg>', 'the <svg> root has no xmlns="http://www.w3.org/2000/svg"'],
    ['a root in the XHTML namespace', '<svg xmlns="http://www.w3.org/1999/xhtml"><rect width="5" height="5"/></svg>', 'the <svg> root has no xmlns="http://www.w3.org/2000/svg"'],
    ['an entity HTML knows but XML does not', `${open}<text>a&nbsp;b</text></svg>`, 'the bytes do not parse as SVG ('],
    ['an HTML page', '<html><body><svg xmlns="http://www.w3.org/2000/svg"/></body></html>', 'the bytes do not parse as SVG: the document does not start with an <svg> element'],
    ['markup that is not well-formed XML', `${open}<rect width="5" height="5"></svg>`, 'the bytes do not parse as SVG ('],
    ['content after the root', `${open}</svg><svg xmlns="http://www.w3.org/2000/svg"/>`, 'no single <svg> root element'],
    ['another encoding', `<?xml version="1.0" encoding="ISO-8859-1"?>${open}</svg>`, 'the SVG declares the ISO-8859-1 encoding; only UTF-8 SVG files are accepted'],
  ])('%s', async (_, svg, reason) => {
    expect(reasonOf(await check(svg))).toContain(reason);
  });

  test('bytes that are not UTF-8 are refused', async () => {
    const bytes = Buffer.concat([Buffer.from(`${open}<text>`), Buffer.from([0xc3, 0x28]), Buffer.from('</text></svg>')]);

    expect(reasonOf(await check(bytes))).toBe('the SVG is not UTF-8 text');
  });

  test('an SVG with more elements than the SVG limit is refused before it is parsed', async () => {
    const svg = `${open}${'<rect width="1" height="1"/>'.repeat(maxSvgElements)}</svg>`;

    expect(reasonOf(await check(svg))).toBe(`the SVG has more than ${maxSvgElements} elements, the limit for SVG files`);
  });

  test('an SVG larger than the SVG limit is refused before it is parsed', async () => {
    const path = join(folder, 'large.svg');
    await writeFile(path, `${open}</svg>`);

    expect(reasonOf(await checkSvg(path, maxSvgBytes + 1))).toBe(
      `the SVG is ${maxSvgBytes + 1} bytes, over the limit of ${maxSvgBytes} bytes for SVG files`,
    );
  });
});
