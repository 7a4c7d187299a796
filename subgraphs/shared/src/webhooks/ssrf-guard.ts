import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent } from 'undici';

/**
 * Webhook endpoints and workflows' httpRequest steps send to URLs typed in by customers,
 * from workers inside our network: without a guard, `http://169.254.169.254/latest/meta-data/`
 * or `http://10.0.0.5:6379/` would make us the customer's proxy into it (server-side request
 * forgery). The guard resolves the host itself, refuses unless every address is publicly
 * routable (or allowed by the operator), and the connection is then made only to the
 * addresses it checked, so a DNS answer that changes between the check and the connect
 * (rebinding) cannot slip an internal address in.
 */

/** Why an address is not publicly routable; the message of a refusal names it. */
export type NonPublicAddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'broadcast'
  | 'cloud metadata'
  | 'reserved';

/** A destination the guard will not connect to; requests to it are never retried (the URL must change). */
export class DestinationRefusedError extends Error {
  override readonly name = 'DestinationRefusedError';
}

/** An operator allow-list entry that cannot be read; a configuration error. */
export class InvalidAllowListEntryError extends Error {
  override readonly name = 'InvalidAllowListEntryError';
}

interface Address {
  family: 4 | 6;
  value: bigint;
}

interface Range extends Address {
  prefix: number;
}

interface ClassifiedRange extends Range {
  class: NonPublicAddressClass;
}

/**
 * Everything IANA's special-purpose registries mark as not globally reachable, plus
 * multicast. The first matching range names the class, so the narrow ones come first
 * (the metadata address before link-local, broadcast before reserved).
 */
const ipv4Ranges: readonly ClassifiedRange[] = [
  ['0.0.0.0/32', 'unspecified'],
  // "This network": Linux connects 0.0.0.0/8 to the local host.
  ['0.0.0.0/8', 'reserved'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  // AWS, GCP, Azure, OpenStack, DigitalOcean and Oracle all serve instance credentials here.
  ['169.254.169.254/32', 'cloud metadata'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
].map(([cidr, label]) => ({ ...knownRange(cidr!), class: label as NonPublicAddressClass }));

const ipv6Ranges: readonly ClassifiedRange[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  // The IPv4-compatible form (deprecated) and the rest of ::/8; the mapped form
  // (::ffff:0:0/96) is unwrapped before this table is consulted.
  ['::/8', 'reserved'],
  ['64:ff9b:1::/48', 'reserved'],
  ['100::/64', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  // EC2's metadata service on IPv6 (Nitro instances).
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  // Site-local, deprecated, still routed inside some networks.
  ['fec0::/10', 'private'],
  ['ff00::/8', 'multicast'],
].map(([cidr, label]) => ({ ...knownRange(cidr!), class: label as NonPublicAddressClass }));

const ipv4Mapped = knownRange('::ffff:0:0/96');
/** NAT64 (RFC 6052): a gateway on the path translates these to the IPv4 address inside. */
const nat64 = knownRange('64:ff9b::/96');
/** 6to4 (RFC 3056): the IPv4 address sits in bits 16–47. */
const sixToFour = knownRange('2002::/16');

/**
 * The class of a non-public address, or null for a publicly routable one. IPv6 addresses
 * that carry an IPv4 address a router would deliver to (IPv4-mapped, NAT64, 6to4) are
 * judged by that IPv4 address: `::ffff:127.0.0.1` is loopback.
 *
 * @throws TypeError when `address` is not an IP address.
 */
export function classifyAddress(address: string): NonPublicAddressClass | null {
  const parsed = parseAddress(address);
  if (!parsed) throw new TypeError(`Not an IP address: ${address}`);
  return classify(parsed);
}

function classify(address: Address): NonPublicAddressClass | null {
  const embedded = embeddedIPv4(address);
  if (embedded) return classify(embedded);
  const ranges = address.family === 4 ? ipv4Ranges : ipv6Ranges;
  return ranges.find((range) => inRange(address, range))?.class ?? null;
}

function embeddedIPv4(address: Address): Address | null {
  if (address.family !== 6) return null;
  if (inRange(address, ipv4Mapped) || inRange(address, nat64)) {
    return { family: 4, value: address.value & 0xffff_ffffn };
  }
  if (inRange(address, sixToFour)) return { family: 4, value: (address.value >> 80n) & 0xffff_ffffn };
  return null;
}

type AllowListEntry =
  | { kind: 'range'; range: Range }
  | { kind: 'address'; address: Address; port: number }
  | { kind: 'host'; hostname: string; port: number | null };

/** A parsed operator allow-list (see `parseAllowList`). */
export interface AllowList {
  readonly entries: readonly AllowListEntry[];
}

/**
 * Reads the operator's exceptions: an IP (`127.0.0.1`, `::1`), an IP and port
 * (`127.0.0.1:43210`, `[::1]:8080`), a CIDR range (`10.0.0.0/8`, `fd00::/8`), or a host name
 * with or without a port (`hooks.internal:8443`). An entry lets its destinations through
 * whatever their addresses. The metadata addresses are the exception: only an entry naming
 * the address itself allows them, because a range or a name meant for some internal
 * service must not also hand out the instance's cloud credentials.
 *
 * @throws InvalidAllowListEntryError naming the first entry that is not one of these.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  return { entries: entries.map(parseAllowListEntry) };
}

function parseAllowListEntry(raw: string): AllowListEntry {
  const entry = raw.trim().toLowerCase();
  const invalid = () =>
    new InvalidAllowListEntryError(
      `Allow-list entry "${raw}" is not an IP, IP:port, [IPv6]:port, CIDR range, host name or host:port.`,
    );
  if (entry.includes('/')) {
    const range = parseRange(entry);
    if (!range) throw invalid();
    return { kind: 'range', range: unmappedRange(range) };
  }
  const address = parseAddress(entry);
  if (address) return { kind: 'range', range: unmappedRange({ ...address, prefix: address.family === 4 ? 32 : 128 }) };

  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    const ipv6 = parseAddress(bracketed[1]!);
    if (!ipv6 || ipv6.family !== 6) throw invalid();
    if (bracketed[2] === undefined) return { kind: 'range', range: unmappedRange({ ...ipv6, prefix: 128 }) };
    return { kind: 'address', address: ipv6, port: parsePort(bracketed[2], invalid) };
  }

  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  const host = withPort ? withPort[1]! : entry;
  const port = withPort ? parsePort(withPort[2]!, invalid) : null;
  const ipv4 = parseAddress(host);
  if (ipv4 && port !== null) return { kind: 'address', address: ipv4, port };
  if (!/^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/.test(host)) {
    throw invalid();
  }
  return { kind: 'host', hostname: normalizeHostname(host), port };
}

function parsePort(text: string, invalid: () => Error): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw invalid();
  return port;
}

function isAllowed(
  allowList: AllowList,
  hostname: string,
  port: number,
  address: Address,
  addressClass: NonPublicAddressClass,
): boolean {
  // `::ffff:127.0.0.1` is the same socket destination as 127.0.0.1; NAT64 and 6to4
  // addresses are not (a gateway does the translating), so they are compared as they are.
  const comparable = unmapped(address);
  return allowList.entries.some((entry) => {
    switch (entry.kind) {
      case 'range': {
        const exact = entry.range.prefix === (entry.range.family === 4 ? 32 : 128);
        if (addressClass === 'cloud metadata' && !exact) return false;
        return inRange(comparable, entry.range);
      }
      case 'address':
        return port === entry.port && sameAddress(comparable, unmapped(entry.address));
      case 'host':
        return addressClass !== 'cloud metadata' && hostname === entry.hostname && (entry.port === null || entry.port === port);
    }
  });
}

/** An address a host name resolved to, as `dns.lookup` gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses; `dns.lookup` (the system resolver) by default. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: ResolveHost = async (hostname) => {
  const addresses = await lookup(hostname, { all: true });
  return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** A URL the guard accepted, with the only addresses a connection to it may use. */
export interface CheckedDestination {
  url: URL;
  /** The URL's host name without IPv6 brackets, lower case, without a trailing dot. */
  hostname: string;
  port: number;
  addresses: readonly ResolvedAddress[];
}

export interface CheckDestinationOptions {
  allowList: AllowList;
  /** Replaces the system resolver (tests that need a name to change its answer). */
  resolveHost?: ResolveHost;
  /** Abandons the resolution: `dns.lookup` cannot be cancelled, only stopped waiting for. */
  signal?: AbortSignal;
}

/**
 * Resolves `url`'s host and checks every address it resolves to.
 *
 * @throws DestinationRefusedError when the URL is not http(s), carries credentials, or any
 *   address is not publicly routable and not allowed by the operator.
 * @throws the resolver's error (ENOTFOUND, a timeout) when the name cannot be resolved:
 *   that is a failure to retry, not a refusal.
 */
export async function checkDestination(url: URL, options: CheckDestinationOptions): Promise<CheckedDestination> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DestinationRefusedError(`only http and https URLs are delivered to, not ${url.protocol}`);
  }
  // They would be sent along on every redirect hop and show up in logs of the URL.
  if (url.username || url.password) throw new DestinationRefusedError('URLs with credentials are not delivered to');

  const hostname = normalizeHostname(url.hostname);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const literal = parseAddress(hostname);
  const addresses: ResolvedAddress[] = literal
    ? [{ address: hostname, family: literal.family }]
    : await resolveWithin(options.resolveHost ?? systemResolver, hostname, options.signal);
  if (addresses.length === 0) throw new Error(`${hostname} resolved to no address`);

  for (const resolved of addresses) {
    const address = parseAddress(resolved.address);
    if (!address) throw new DestinationRefusedError(`${hostname} resolved to ${resolved.address}, not an IP address`);
    const addressClass = classify(address);
    if (addressClass && !isAllowed(options.allowList, hostname, port, address, addressClass)) {
      const via = literal ? '' : ` (${hostname} resolves to it)`;
      throw new DestinationRefusedError(`${resolved.address} is a ${addressClass} address${via}`);
    }
  }
  return { url, hostname, port, addresses };
}

async function resolveWithin(resolve: ResolveHost, hostname: string, signal: AbortSignal | undefined) {
  if (!signal) return resolve(hostname);
  signal.throwIfAborted();
  let stop: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([resolve(hostname), aborted]);
  } finally {
    signal.removeEventListener('abort', stop!);
  }
}

/**
 * An undici dispatcher whose connections to a host name go only to the addresses `pin`
 * recorded for it: Node calls the `lookup` below instead of the resolver. A name that was
 * not pinned fails to connect. IP literals skip the lookup and connect to themselves,
 * which the guard checked.
 */
export interface PinnedDispatcher {
  dispatcher: Agent;
  pin(destination: CheckedDestination): void;
}

export function createPinnedDispatcher(options: Omit<Agent.Options, 'connect'> = {}): PinnedDispatcher {
  const pins = new Map<string, readonly ResolvedAddress[]>();
  const pinnedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    const family = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
    const candidates = (pins.get(normalizeHostname(hostname)) ?? []).filter(
      (candidate) => !family || candidate.family === family,
    );
    const [first] = candidates;
    if (!first) {
      const error: NodeJS.ErrnoException = new Error(`${hostname} was not checked by the SSRF guard`);
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
      return;
    }
    // With autoSelectFamily (Node's default since 20) the socket asks for all addresses and
    // tries them in turn; every one of them was checked.
    if (lookupOptions.all) callback(null, [...candidates]);
    else callback(null, first.address, first.family);
  };
  return {
    dispatcher: new Agent({ ...options, connect: { lookup: pinnedLookup } }),
    pin(destination) {
      pins.set(destination.hostname, destination.addresses);
    },
  };
}

function normalizeHostname(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

function parseAddress(text: string): Address | null {
  // A zone (`fe80::1%eth0`) only picks the interface; the address is what is judged.
  const address = text.replace(/%.*$/, '');
  switch (isIP(address)) {
    case 4:
      return { family: 4, value: ipv4Value(address) };
    case 6:
      return { family: 6, value: ipv6Value(address) };
    default:
      return null;
  }
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** `isIP` has validated the text; this only expands `::` and a dotted IPv4 tail. */
function ipv6Value(address: string): bigint {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const value = ipv4Value(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

function unmapped(address: Address): Address {
  return inRange(address, ipv4Mapped) ? { family: 4, value: address.value & 0xffff_ffffn } : address;
}

/** Addresses are compared unmapped (see `isAllowed`), so mapped ranges are read as IPv4 ones. */
function unmappedRange(range: Range): Range {
  if (range.family === 4 || range.prefix < 96 || !inRange(range, ipv4Mapped)) return range;
  return { family: 4, value: range.value & 0xffff_ffffn, prefix: range.prefix - 96 };
}

function knownRange(cidr: string): Range {
  const range = parseRange(cidr);
  if (!range) throw new Error(`Bad built-in range ${cidr}`);
  return range;
}

function parseRange(cidr: string): Range | null {
  const [base = '', prefixText, ...rest] = cidr.split('/');
  const address = parseAddress(base);
  if (!address || rest.length > 0 || !prefixText || !/^\d+$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > (address.family === 4 ? 32 : 128)) return null;
  return { ...address, prefix };
}

function inRange(address: Address, range: Range): boolean {
  if (address.family !== range.family) return false;
  const shift = BigInt((address.family === 4 ? 32 : 128) - range.prefix);
  return address.value >> shift === range.value >> shift;
}

function sameAddress(a: Address, b: Address): boolean {
  return a.family === b.family && a.value === b.value;
}
