// Issue 7 acceptance with real librdkafka consumers: confluent-kafka for Python (its wheel bundles
// librdkafka; installed from PyPI into @stratus/kafka-reference's venv), each member its own python
// process (tools/local-cluster/python/group_member.py) on the local cluster `npm start` runs. Three
// members share 12 partitions (classic protocol and KIP-848), kill -9 of one moves its partitions within its session timeout,
// nothing acknowledged is skipped, and a restarted member resumes from the committed offsets.
import { pythonVenv } from '@stratus/kafka-reference';
import { useHarness } from '@stratus/platform-testing';
import { librdkafkaGroupClient } from './group-clients.testkit';
import { useGroupCluster } from './groups.testkit';
import { killMoveResume } from './groups-scenario.testkit';

useHarness();

describe('consumer groups with librdkafka / confluent-kafka (real processes)', () => {
  let python = '';
  // pip installs confluent-kafka while the cluster starts.
  const env = useGroupCluster('groups-librdkafka', async () => {
    python = await pythonVenv();
  });

  it('classic protocol: 3 members share 12 partitions, a killed member\'s partitions move, commits are resumed', async () => {
    await killMoveResume(env, librdkafkaGroupClient(env.creds, python), { topic: 'groups-librdkafka', group: 'librdkafka-classic', protocol: 'classic', sessionTimeoutMs: 10_000 });
  }, 900_000);

  // librdkafka 2.10+ speaks KIP-848 (group.protocol=consumer): the broker assigns, and the session
  // timeout is the broker's group.consumer.session.timeout.ms (45 s, as in Kafka).
  it('KIP-848 (group.protocol=consumer): 3 members share 12 partitions, a killed member\'s partitions move, commits are resumed', async () => {
    await killMoveResume(env, librdkafkaGroupClient(env.creds, python), { topic: 'groups-librdkafka-848', group: 'librdkafka-consumer', protocol: 'consumer', sessionTimeoutMs: 45_000 });
  }, 900_000);
});
