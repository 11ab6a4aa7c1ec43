// The routers named in KIP-951 leader hints, listed once each in the response's node_endpoints.
import type { RouterEndpoint } from '@stratus/router-cluster-view';

export interface NodeEndpoint {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export class NodeEndpoints {
  private readonly byId = new Map<number, NodeEndpoint>();

  add(router: RouterEndpoint): void {
    this.byId.set(router.kafkaNodeId, { nodeId: router.kafkaNodeId, host: router.host, port: router.port, rack: router.availabilityZone || null });
  }

  list(): NodeEndpoint[] {
    return [...this.byId.values()].sort((a, b) => a.nodeId - b.nodeId);
  }
}
