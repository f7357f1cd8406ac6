import { invalidInput } from '../errors.js';
import { CidrSet, parseCidr, type Cidr } from './ip-address.js';

/** The organisation's own names and networks, as the hunter enters them in settings. */
export interface AllowlistSettings {
  /** A domain covers its subdomains; a leading "*." or "." is accepted and ignored. */
  domains: string[];
  /** IPv4 or IPv6 networks ("10.20.0.0/16", "2001:db8:1::/48") or single addresses. */
  cidrs: string[];
}

/**
 * What is never sent to a third party. Checked by the engine before any
 * lookup is queued or made, whatever asked for it.
 */
export class Allowlist {
  private readonly domains: ReadonlySet<string>;
  private readonly networks: CidrSet;

  constructor(settings: AllowlistSettings = { domains: [], cidrs: [] }) {
    this.domains = new Set(settings.domains.map(normaliseDomain).filter((d) => d.length > 0));
    const parsed: Cidr[] = settings.cidrs.map((text) => {
      const c = parseCidr(text);
      if (!c) throw invalidInput(`allowlist: "${text}" is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8)`);
      return c;
    });
    this.networks = new CidrSet(parsed);
  }

  get isEmpty(): boolean {
    return this.domains.size === 0 && this.networks.size === 0;
  }

  /** True for an allowlisted domain or any of its subdomains. `host` is lower case. */
  hasDomain(host: string): boolean {
    if (this.domains.size === 0) return false;
    let rest = host;
    for (;;) {
      if (this.domains.has(rest)) return true;
      const dot = rest.indexOf('.');
      if (dot < 0) return false;
      rest = rest.slice(dot + 1);
    }
  }

  hasIPv4(ip: number): boolean {
    return this.networks.hasV4(ip);
  }

  hasIPv6(ip: bigint): boolean {
    return this.networks.hasV6(ip);
  }
}

function normaliseDomain(text: string): string {
  return text.trim().toLowerCase().replace(/^\*?\./, '').replace(/\.$/, '');
}
