// Which BROKER config resource names a router answers for. Kafka clients name a broker by the id
// Metadata advertised (for Stratus: a router's kafka node id), or "" for the cluster-wide default.
// Every router serves the same read-only view, so any router the client could have learnt of is
// accepted; anything else is INVALID_REQUEST, as a Kafka broker answers an id that is not its own.
import type { RequestContext } from '@stratus/router-kafka-server';
import type { AdminContext } from './admin-context';

/** undefined when the name is acceptable, else the error message. */
export function checkBrokerResource(name: string, ctx: RequestContext, admin: AdminContext): string | undefined {
  if (name === '') return undefined;
  if (!/^\d+$/.test(name)) return `Invalid broker id '${name}': a broker resource is named by its numeric id, or the empty string for the cluster default.`;
  const id = Number(name);
  const known = id === ctx.listener.nodeId || (admin.view?.routers().some((r) => r.kafkaNodeId === id) ?? false);
  return known ? undefined : `Unexpected broker id ${name}: no such broker in this cluster.`;
}
