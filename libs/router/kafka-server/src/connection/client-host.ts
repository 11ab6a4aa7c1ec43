// The client's address in the form Kafka uses for ACL hosts and group member hosts.
/**
 * Kafka matches ACL hosts against the client's InetAddress.getHostAddress(): dotted IPv4 for an
 * IPv4 client, so an IPv4 peer reached over a dual-stack socket ("::ffff:10.0.0.1") is named in
 * its IPv4 form.
 */
export function clientHostOf(remoteAddress: string | undefined): string | undefined {
  if (remoteAddress === undefined || remoteAddress === '') return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(remoteAddress);
  return mapped ? mapped[1] : remoteAddress;
}
