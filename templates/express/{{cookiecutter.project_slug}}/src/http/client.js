/** Who the client is: the peer's address, or the one that trusted proxies forwarded (TRUSTED_PROXIES). */
import { BlockList, isIP } from 'node:net';

const familyOf = (address) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * Express's `trust proxy` setting for these addresses and networks (config.js has checked
 * them). proxy-addr walks X-Forwarded-For from the right past every hop this trusts. A
 * function rather than the list, since proxy-addr would also read 012.0.0.1 or 167772161 as
 * addresses and walk past them: here only a plain IP address can be trusted.
 */
export function trustProxies(entries) {
  const trusted = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    if (prefix === undefined) trusted.addAddress(address, familyOf(address));
    else trusted.addSubnet(address, Number(prefix), familyOf(address));
  }
  // BlockList matches an IPv4-mapped peer (::ffff:10.0.0.1) against IPv4 entries too.
  return (address) => isIP(address ?? '') !== 0 && trusted.check(address, familyOf(address));
}

/**
 * The client's address: `req.ip`, unless the walk stopped at an entry that is no address
 * (proxy-addr then answers that entry): then the last good address before it, or the peer.
 * The login limit keys on it and the access log shows it.
 */
export function clientAddress(req) {
  if (isIP(req.ip ?? '') !== 0) return req.ip;
  // req.ips runs from that entry towards the peer, which it leaves out.
  return req.ips[1] ?? req.socket.remoteAddress;
}
