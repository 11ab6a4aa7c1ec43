// Issue 7 acceptance with real kafkajs consumers: each member its own Node.js process
// (tools/local-cluster/kafkajs/group-member.ts) on the local cluster `npm start` runs. kafkajs speaks
// only the classic protocol (eager rebalancing): three members share 12 partitions, kill -9 of one
// moves its partitions within its session timeout, nothing acknowledged is skipped, and a restarted
// member resumes from the committed offsets.
import { useHarness } from '@stratus/platform-testing';
import { kafkajsGroupClient } from './group-clients.testkit';
import { useGroupCluster } from './groups.testkit';
import { killMoveResume } from './groups-scenario.testkit';

useHarness();

describe('consumer groups with kafkajs (real processes)', () => {
  const env = useGroupCluster('groups-kafkajs');

  it('classic protocol: 3 members share 12 partitions, a killed member\'s partitions move, commits are resumed', async () => {
    await killMoveResume(env, kafkajsGroupClient(env.creds), { topic: 'groups-kafkajs', group: 'kafkajs-classic', protocol: 'classic', sessionTimeoutMs: 10_000 });
  }, 900_000);
});
