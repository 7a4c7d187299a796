import { readFile } from 'node:fs/promises';
import type { DOMPurify } from 'isomorphic-dompurify';
import sharp from 'sharp';
import { rejected, type Rejection } from './rejection.ts';

/**
 * The largest SVG accepted. An SVG is read whole, so it gets a limit of its own, far
 * below MEDIA_MAX_BYTES: logos, icons, illustrations and maps are well under it.
 */
export const maxSvgBytes = 2 * 1024 * 1024;

/**
 * The most elements an SVG may have. The sanitiser parses it into a jsdom DOM, which costs
 * about 10 KB of heap and 0.1 ms per element (10,000 elements: some 100 MB and 0.9 s, on
 * the 2-core machine the benchmarks run on), so memory is bounded by elements, not bytes
 * (40,000 small elements fit in 2 MB and took 380 MB). Counted before parsing, as the
 * `<` that open a tag (an upper bound: text in comments counts too).
 */
export const maxSvgElements = 10_000;

const svgNamespace = 'http://www.w3.org/2000/svg';
const xlinkNamespace = 'http://www.w3.org/1999/xlink';

/** An SVG found clean, and its size when it says so in numbers. */
export interface CleanSvg {
  outcome: 'clean';
  width: number | null;
  height: number | null;
}

/**
 * Whether an uploaded SVG may be served as it is: it must be a standalone SVG document
 * that runs nothing and loads nothing from outside itself. A browser that opens the file
 * runs its scripts with the origin of the URL it came from, and external references leak
 * who views a page (or fetch what they should not), so anything doubtful is refused, with
 * the list of what was found; nothing is "cleaned" and kept.
 *
 * 1. It is read whole (it must be parsed whole): at most `maxSvgBytes` and
 *    `maxSvgElements`, UTF-8, no NUL.
 * 2. A DOCTYPE with declarations of its own is refused: XML entities are expanded by the
 *    browser's XML parser but not by the sanitiser's HTML parser (and are billion-laughs
 *    bombs), so they could hide markup from the checks below.
 * 3. DOMPurify sanitises it with its SVG profile (plus `<use>`, which it drops because it
 *    can load external files; our own check below lets it point inside the file only).
 *    Anything it removes (scripts, `foreignObject`, `on*` handlers, `javascript:` links,
 *    unknown elements and attributes such as an editor's private ones) refuses the file.
 * 4. What it kept is walked again: every element in the SVG namespace, every `href` and
 *    `xlink:href` pointing inside the file (`#id`), or an `<image>` embedding a raster
 *    `data:` URL, and no `url(…)` leaving the file, `@import`, `image-set(` or CSS escape
 *    in any attribute or `<style>`.
 * 5. Browsers parse a served SVG as XML, but DOMPurify parsed it as HTML. librsvg (through
 *    sharp; it is only ever given files that passed the checks above) parses it as XML:
 *    a file that is not well-formed XML with an `<svg>` root is refused.
 */
export async function checkSvg(path: string, byteSize: number): Promise<CleanSvg | Rejection> {
  if (byteSize > maxSvgBytes) {
    return rejected(`the SVG is ${byteSize} bytes, over the limit of ${maxSvgBytes} bytes for SVG files`);
  }
  const bytes = await readFile(path);
  if (bytes.includes(0)) return rejected('the SVG holds NUL bytes');
  let text: string;
  try {
    // Also removes a byte order mark.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return rejected('the SVG is not UTF-8 text');
  }

  if (countTags(text, maxSvgElements + 1) > maxSvgElements) {
    return rejected(`the SVG has more than ${maxSvgElements} elements, the limit for SVG files`);
  }

  const prolog = readProlog(text);
  if ('outcome' in prolog) return prolog;

  const { root, removed } = sanitize(await purifier(), prolog.markup);
  const findings = removed.map(describeRemoval);
  const svg = onlyChild(root);
  if (!svg || svg.localName !== 'svg') return rejected('the bytes do not parse as SVG: there is no single <svg> root element');
  // Without it a browser reads the file as XML of no known kind, not as an image.
  if (svg.getAttribute('xmlns') !== svgNamespace) return rejected(`the bytes do not parse as SVG: the <svg> root has no xmlns="${svgNamespace}"`);
  findings.push(...inspect(svg));
  if (findings.length > 0) return rejected(`the SVG is not clean: ${summarize(findings)}`);

  try {
    const metadata = await sharp(bytes, { failOn: 'error' }).metadata();
    if (metadata.format !== 'svg') return rejected(`the bytes do not parse as SVG (they read as ${metadata.format})`);
  } catch (error) {
    return rejected(`the bytes do not parse as SVG (${(error as Error).message})`);
  }
  return { outcome: 'clean', ...svgSize(svg) };
}

/** The parts of jsdom's DOM read here (the service compiles without the DOM typings). */
interface DomAttribute {
  readonly name: string;
  readonly localName: string;
  readonly value: string;
}
interface DomNode {
  readonly nodeName: string;
  readonly localName?: string | null;
}
interface DomElement extends DomNode {
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly attributes: ArrayLike<DomAttribute>;
  readonly children: ArrayLike<DomElement>;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
interface DomRemoval {
  element?: DomNode;
  attribute?: DomAttribute | null;
  from?: DomNode;
}

/** How many tags the text opens, counting no further than `stopAt`. */
function countTags(text: string, stopAt: number): number {
  const tag = /<[A-Za-z]/g;
  let count = 0;
  while (count < stopAt && tag.exec(text)) count++;
  return count;
}

/** A plain DOCTYPE, as editors write it: a public and a system identifier, no declarations. */
const plainDoctype = /^<!doctype\s+svg(?:\s+public\s+(?:"[^"]*"|'[^']*')\s+(?:"[^"]*"|'[^']*')|\s+system\s+(?:"[^"]*"|'[^']*'))?\s*>/i;

/**
 * Reads what may precede the root element (the XML declaration, comments, a DOCTYPE) and
 * returns the document with the declaration and the DOCTYPE removed: the sanitiser parses
 * as HTML, where they mean nothing, and the file itself is served unchanged.
 */
function readProlog(text: string): { markup: string } | Rejection {
  let rest = text;
  let kept = '';
  for (let first = true; ; first = false) {
    const whitespace = /^\s*/.exec(rest)![0];
    kept += whitespace;
    rest = rest.slice(whitespace.length);
    if (first && /^<\?xml\s/.test(rest)) {
      const end = rest.indexOf('?>');
      if (end < 0) break;
      const encoding = /\sencoding\s*=\s*["']([^"']*)["']/.exec(rest.slice(0, end))?.[1];
      if (encoding && !/^(?:utf-?8|us-ascii|ascii)$/i.test(encoding)) {
        return rejected(`the SVG declares the ${encoding} encoding; only UTF-8 SVG files are accepted`);
      }
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->', 4);
      if (end < 0) break;
      kept += rest.slice(0, end + 3);
      rest = rest.slice(end + 3);
    } else if (/^<!doctype/i.test(rest)) {
      const doctype = plainDoctype.exec(rest);
      if (!doctype && /^<!doctype[^>]*\[/i.test(rest)) {
        return rejected('the SVG has a DOCTYPE with declarations of its own (XML entities are refused)');
      }
      if (!doctype) return rejected('the bytes do not parse as SVG: the DOCTYPE is not an SVG one');
      rest = rest.slice(doctype[0].length);
    } else {
      break;
    }
  }
  if (!/^<svg[\s>/]/.test(rest)) return rejected('the bytes do not parse as SVG: the document does not start with an <svg> element');
  if (/<!(?:doctype|entity|element|attlist)\b/i.test(rest)) {
    return rejected('the SVG holds a DOCTYPE or declarations (XML entities are refused)');
  }
  return { markup: kept + rest };
}

let loadingPurifier: Promise<DOMPurify> | undefined;

/**
 * DOMPurify, loaded the first time an SVG is checked: it brings jsdom, which takes a
 * second and some 90 MB to load, in a worker that may never see an SVG.
 */
function purifier(): Promise<DOMPurify> {
  loadingPurifier ??= import('isomorphic-dompurify').then((module) => module.default);
  return loadingPurifier;
}

/**
 * DOMPurify's verdict on the markup: the sanitised DOM and what it removed. The shared
 * instance of isomorphic-dompurify is used, with its configuration passed on each call
 * (nothing in the service calls setConfig or adds hooks). `removed` belongs to that instance
 * and is only valid until the next call: it is read right away, and sanitize is synchronous.
 */
function sanitize(purify: DOMPurify, markup: string): { root: DomElement; removed: DomRemoval[] } {
  const root = purify.sanitize(markup, {
    USE_PROFILES: { svg: true, svgFilters: true },
    ADD_TAGS: ['use'],
    // DOMPurify removes ids and names a page's scripts could trip over (`title`, `blur`,
    // `forms`…: DOM clobbering). That protects markup inserted into a page; this file is
    // served on its own (opened, or in an <img>), where no script shares its DOM, and
    // `<title id="title">` is how accessible icons are written.
    SANITIZE_DOM: false,
    RETURN_DOM: true,
  }) as unknown as DomElement;
  // The <body> the markup was parsed into is reported removed: it is the container.
  const removed = [...(purify.removed as DomRemoval[])].filter((removal) => removal.element !== root);
  return { root, removed };
}

function onlyChild(root: DomElement): DomElement | undefined {
  return root.children.length === 1 ? root.children[0] : undefined;
}

function describeRemoval(removal: DomRemoval): string {
  if (removal.attribute) {
    const on = removal.from ? ` on ${elementName(removal.from)}` : '';
    return `${removal.attribute.name}="${excerpt(removal.attribute.value)}"${on}`;
  }
  if (removal.element) {
    switch (removal.element.nodeName) {
      case '#comment':
        return 'a comment holding markup';
      case '#text':
        return 'text holding markup';
      default:
        return elementName(removal.element);
    }
  }
  return 'something the sanitiser removed';
}

function elementName(node: DomNode): string {
  return `<${node.localName ?? node.nodeName.toLowerCase()}>`;
}

/** Elements that are refused even if the sanitiser were configured to keep them. */
const forbiddenElements = new Set(['script', 'foreignobject', 'iframe', 'object', 'embed', 'handler', 'listener']);
/** A raster image embedded in the file: it loads nothing and cannot run anything. */
const rasterDataUrl = /^data:image\/(?:png|jpeg|gif|webp|avif);base64,/i;

/** What is wrong in the sanitised SVG (empty when nothing is), walked without recursion. */
function inspect(svg: DomElement): string[] {
  const findings: string[] = [];
  const pending: DomElement[] = [svg];
  for (let element = pending.pop(); element; element = pending.pop()) {
    const name = element.localName;
    const tag = `<${name}>`;
    if (element.namespaceURI !== svgNamespace) findings.push(`${tag}, which is not SVG`);
    if (forbiddenElements.has(name.toLowerCase())) findings.push(tag);
    for (const attribute of Array.from(element.attributes)) {
      const lower = attribute.name.toLowerCase();
      const value = attribute.value;
      if (lower.startsWith('on')) {
        findings.push(`${attribute.name}="${excerpt(value)}" on ${tag}`);
      } else if (attribute.localName === 'href') {
        const inside = value.trim().startsWith('#') || (name === 'image' && rasterDataUrl.test(value.trim()));
        if (!inside) findings.push(`an external reference ${attribute.name}="${excerpt(value)}" on ${tag}`);
      } else if (lower === 'xmlns' && value !== svgNamespace) {
        findings.push(`xmlns="${excerpt(value)}" on ${tag}`);
      } else if (lower === 'xmlns:xlink' && value !== xlinkNamespace) {
        findings.push(`xmlns:xlink="${excerpt(value)}" on ${tag}`);
      } else if (attribute.localName === 'base') {
        // xml:base would make even `#id` resolve to another document.
        findings.push(`${attribute.name}="${excerpt(value)}" on ${tag}`);
      } else if (lower === 'attributename' && /href/i.test(value)) {
        findings.push(`an animation of ${excerpt(value)} on ${tag}`);
      }
      for (const problem of cssProblems(value)) findings.push(`${problem} in ${attribute.name} on ${tag}`);
    }
    if (name === 'style') {
      for (const problem of cssProblems(element.textContent ?? '')) findings.push(`${problem} in ${tag}`);
    }
    for (let index = element.children.length - 1; index >= 0; index--) pending.push(element.children[index]!);
  }
  return findings;
}

/**
 * What in a piece of CSS (a `<style>`, a `style` attribute, or a presentation attribute
 * such as `fill`, which is parsed as CSS too) could load something from outside the file.
 * CSS escapes are refused because they could spell `url(` without the letters.
 */
function cssProblems(css: string): string[] {
  const problems: string[] = [];
  if (/@import/i.test(css)) problems.push('@import');
  for (const match of css.matchAll(/url\(\s*(["']?)\s*([^"')]*)/gi)) {
    if (!match[2]!.startsWith('#')) problems.push(`url(${excerpt(match[2]!)})`);
  }
  if (/image-set\(/i.test(css)) problems.push('image-set(…)');
  if (/(?:^|[^\w-])src\(/i.test(css)) problems.push('src(…)');
  if (css.includes('\\')) problems.push('a CSS escape');
  return problems;
}

/** A value quoted in a rejection reason: on one line, and short. */
function excerpt(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** The findings, without repeats, and at most a few of them (the reason is shown to people). */
function summarize(findings: string[]): string {
  const distinct = [...new Set(findings)];
  const shown = distinct.slice(0, 6).join(', ');
  return distinct.length > 6 ? `${shown} and ${distinct.length - 6} more` : shown;
}

/** A length in user units (a number, or one in px), or null. Larger than this is nonsense. */
function userUnits(value: string | null): number | null {
  const match = /^\s*(\d*\.?\d+(?:e[+-]?\d+)?)\s*(?:px)?\s*$/i.exec(value ?? '');
  if (!match) return null;
  const number = Number(match[1]);
  return number > 0 && number <= 100_000 ? number : null;
}

/**
 * The size the SVG gives itself: its `width` and `height` when they are plain numbers (or
 * px), else its viewBox's (keeping the viewBox's aspect ratio when only one of them is
 * given); null when it says neither in numbers (`width="100%"`, `10cm` without a viewBox).
 */
function svgSize(svg: DomElement): { width: number | null; height: number | null } {
  const width = userUnits(svg.getAttribute('width'));
  const height = userUnits(svg.getAttribute('height'));
  const viewBox = (svg.getAttribute('viewBox') ?? '').trim().split(/[\s,]+/);
  const boxWidth = viewBox.length === 4 ? userUnits(viewBox[2]!) : null;
  const boxHeight = viewBox.length === 4 ? userUnits(viewBox[3]!) : null;
  const round = (value: number | null) => (value === null ? null : Math.max(1, Math.round(value)));
  if (width !== null && height !== null) return { width: round(width), height: round(height) };
  if (boxWidth !== null && boxHeight !== null) {
    if (width !== null) return { width: round(width), height: round((width * boxHeight) / boxWidth) };
    if (height !== null) return { width: round((height * boxWidth) / boxHeight), height: round(height) };
    return { width: round(boxWidth), height: round(boxHeight) };
  }
  return { width: round(width), height: round(height) };
}
