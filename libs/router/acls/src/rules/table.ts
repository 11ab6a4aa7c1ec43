// The one table: API key → the rule that authorizes it. APIs not listed need no authorization
// (ApiVersions, SASL, DescribeCluster — Kafka checks nothing there beyond authentication).
// Entries exist for APIs whose handlers may not be registered yet; the guard only wraps handlers
// that are. The guard also wraps DescribeCluster, only to fill its KIP-430 field
// (rules/authorized-operations.ts).
import * as admin from './admin';
import * as data from './data-path';
import * as groups from './groups';
import type { AclRule } from './rule';

export const ACL_RULES: ReadonlyMap<number, AclRule> = new Map<number, AclRule>([
  [0, data.produceRule as AclRule],
  [1, data.fetchRule as AclRule],
  [2, data.listOffsetsRule as AclRule],
  [3, admin.metadataRule as AclRule],
  [8, groups.offsetCommitRule as AclRule],
  [9, groups.offsetFetchRule as AclRule],
  [10, groups.findCoordinatorRule as AclRule],
  [11, groups.joinGroupRule as AclRule],
  [12, groups.heartbeatRule as AclRule],
  [13, groups.leaveGroupRule as AclRule],
  [14, groups.syncGroupRule as AclRule],
  [15, groups.describeGroupsRule as AclRule],
  [16, groups.listGroupsRule as AclRule],
  [19, admin.createTopicsRule as AclRule],
  [20, admin.deleteTopicsRule as AclRule],
  [21, data.deleteRecordsRule as AclRule],
  [22, data.initProducerIdRule as AclRule],
  [23, data.offsetForLeaderEpochRule as AclRule],
  [29, admin.describeAclsRule as AclRule],
  [30, admin.createAclsRule as AclRule],
  [31, admin.deleteAclsRule as AclRule],
  [32, admin.describeConfigsRule as AclRule],
  [33, admin.alterConfigsRule as AclRule],
  [35, admin.describeLogDirsRule as AclRule],
  [37, admin.createPartitionsRule as AclRule],
  [42, groups.deleteGroupsRule as AclRule],
  [43, admin.electLeadersRule as AclRule],
  [44, admin.incrementalAlterConfigsRule as AclRule],
  [47, groups.offsetDeleteRule as AclRule],
  [48, admin.describeClientQuotasRule as AclRule],
  [49, admin.alterClientQuotasRule as AclRule],
  [50, admin.describeUserScramCredentialsRule as AclRule],
  [51, admin.alterUserScramCredentialsRule as AclRule],
  [61, data.describeProducersRule as AclRule],
  [68, groups.consumerGroupHeartbeatRule as AclRule],
  [69, groups.consumerGroupDescribeRule as AclRule],
  [75, admin.describeTopicPartitionsRule as AclRule],
]);

/** API keys a router may serve without any authorization rule. */
export const UNGUARDED_API_KEYS: ReadonlySet<number> = new Set([17, 18, 36, 60]);
