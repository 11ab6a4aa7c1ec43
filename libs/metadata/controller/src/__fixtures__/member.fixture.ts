// A separate OS process for integration tests that must kill -9 a controller or a broker:
//   member.fixture.ts controller <endpoint> <root> <id> <ttlSeconds>
//   member.fixture.ts broker     <endpoint> <root> <id> <ttlSeconds> <az> <cell>
// It prints one line per state change ("ELECTED <token>", "REGISTERED <leaseId>") for the test.
import { cellId } from '@stratus/metadata-model';
import { EtcdKvStore, MetadataStore } from '@stratus/metadata-store';
import { Controller } from '../controller';

async function main(): Promise<void> {
  const [role, endpoint, root, id, ttl, az, cell] = process.argv.slice(2);
  if (!role || !endpoint || !root || !id || !ttl) throw new Error('usage: member.fixture.ts role endpoint root id ttl [az cell]');
  const store = new MetadataStore({ kv: new EtcdKvStore({ endpoints: [endpoint] }), root });
  const ttlSeconds = Number(ttl);
  if (role === 'controller') {
    const controller = new Controller({
      store,
      candidateId: id,
      ttlSeconds,
      tickMs: 100,
      onEvent: (e) => {
        if (e.type === 'elected') console.log(`ELECTED ${e.token}`);
        if (e.type === 'deposed') console.log(`DEPOSED ${e.token}`);
      },
    });
    controller.start();
    return;
  }
  if (role === 'broker' && az && cell) {
    const reg = await store.nodes.register({ id, kind: 'broker', address: `${id}:9092`, az, cell: cellId(cell), ttlSeconds });
    if (!reg.ok) throw new Error(reg.error.message);
    console.log(`REGISTERED ${reg.value.leaseId}`);
    setInterval(() => void store.nodes.heartbeat({ kind: 'broker', id, leaseId: reg.value.leaseId }), (ttlSeconds * 1000) / 4);
    return;
  }
  throw new Error(`unknown role ${role}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
