package sim.kafka.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.kafka.broker.KafkaMessage.JoinProtocol;
import sim.kafka.broker.TopicPartition;

/**
 * One group of the classic protocol as its coordinator keeps it ({@code ClassicGroup}): the state machine
 * Empty → PreparingRebalance → CompletingRebalance → Stable (and back to PreparingRebalance on any change),
 * the generation, the leader, the members with their protocols, assignments and the requests they are
 * waiting on, and the committed offsets.
 */
final class ClassicGroup {
  enum State { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD }

  /** A member: who it is, what it supports, and which of its requests the coordinator holds. */
  static final class Member {
    final String memberId;
    final String instanceId;
    NodeId client;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<JoinProtocol> protocols;
    List<TopicPartition> assignment = List.of();
    long awaitingJoin = -1;
    long awaitingSync = -1;
    long sessionDeadlineId;

    Member(String memberId, String instanceId, NodeId client, int sessionTimeoutMs, int rebalanceTimeoutMs, List<JoinProtocol> protocols) {
      this.memberId = memberId;
      this.instanceId = instanceId;
      this.client = client;
      this.sessionTimeoutMs = sessionTimeoutMs;
      this.rebalanceTimeoutMs = rebalanceTimeoutMs;
      this.protocols = List.copyOf(protocols);
    }

    boolean supports(String protocol) {
      return protocols.stream().anyMatch(p -> p.name().equals(protocol));
    }

    Subscription subscription(String protocol) {
      for (JoinProtocol p : protocols) if (p.name().equals(protocol)) return p.subscription();
      return protocols.get(0).subscription();
    }
  }

  final String groupId;
  State state = State.EMPTY;
  int generationId;
  String protocolName;
  String leaderId;
  final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
  final Set<String> pendingMembers = new LinkedHashSet<>();
  final Map<String, String> staticMembers = new HashMap<>();
  final TreeMap<TopicPartition, Long> offsets = new TreeMap<>();
  /** Bumped every time a rebalance starts, so a stale join deadline does nothing. */
  long rebalanceId;
  boolean initialDelayPending;

  ClassicGroup(String groupId) {
    this.groupId = groupId;
  }

  boolean is(State s) {
    return state == s;
  }

  /** Members of this generation still waiting for their JoinGroup answer: all must have rejoined to complete. */
  boolean allMembersRejoined() {
    for (Member m : members.values()) if (m.awaitingJoin < 0) return false;
    return true;
  }

  int rebalanceTimeoutMs() {
    int max = 0;
    for (Member m : members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Whether every member supports one protocol in common with these, as a new member must. */
  boolean supportsAny(List<JoinProtocol> protocols) {
    if (members.isEmpty()) return true;
    for (JoinProtocol p : protocols) if (members.values().stream().allMatch(m -> m.supports(p.name()))) return true;
    return false;
  }

  /**
   * Kafka's {@code selectProtocol}: among the protocols every member supports, each member votes for the
   * first of its own preference list; the most votes wins.
   */
  String selectProtocol() {
    List<String> candidates = new ArrayList<>();
    Member any = members.values().iterator().next();
    for (JoinProtocol p : any.protocols) if (members.values().stream().allMatch(m -> m.supports(p.name()))) candidates.add(p.name());
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (String c : candidates) votes.put(c, 0);
    for (Member m : members.values()) {
      for (JoinProtocol p : m.protocols) {
        if (votes.containsKey(p.name())) {
          votes.merge(p.name(), 1, Integer::sum);
          break;
        }
      }
    }
    String best = null;
    for (Map.Entry<String, Integer> e : votes.entrySet()) if (best == null || e.getValue() > votes.get(best)) best = e.getKey();
    return best;
  }

  void remove(String memberId) {
    Member m = members.remove(memberId);
    if (m != null && m.instanceId != null) staticMembers.remove(m.instanceId);
    if (memberId.equals(leaderId)) leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
  }

  String describe() {
    StringBuilder b = new StringBuilder(groupId + " " + state + " generation " + generationId + (protocolName == null ? "" : " " + protocolName)
        + (leaderId == null ? "" : " leader " + leaderId) + "\n");
    for (Member m : members.values()) {
      b.append("      ").append(m.memberId).append(m.instanceId == null ? "" : " (" + m.instanceId + ")").append(": ").append(m.assignment).append('\n');
    }
    if (!offsets.isEmpty()) b.append("      committed ").append(offsets).append('\n');
    return b.toString();
  }
}
