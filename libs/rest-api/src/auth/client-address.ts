/**
 * The address failed logins are counted against: the TCP peer. X-Forwarded-For is not read (the
 * api has no trusted-proxy setting, and a client could set it to anything). IPv4-mapped IPv6
 * addresses count as the IPv4 address.
 */
export function clientAddress(request: {
  socket?: { remoteAddress?: string };
}): string | undefined {
  const address = request.socket?.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
