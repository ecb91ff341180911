package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.cql.Action;
import sim.cassandra.db.Partition;
import sim.core.NodeId;

/**
 * A lightweight transaction at its coordinator (Cassandra's Paxos v1, {@code StorageProxy.cas}):
 * PREPARE a ballot to the replicas and wait for a quorum of promises; finish any accepted-but-uncommitted
 * proposal first; decide the condition on the data the promises carried; PROPOSE the update and wait for a
 * quorum of accepts; COMMIT at the statement's consistency level.
 */
final class PaxosRound {
  enum Phase { PREPARE, REPAIR_PROPOSE, PROPOSE, COMMIT, DONE }

  final long id;
  final Action.Cas cas;
  final List<NodeId> replicas;
  final int quorum;
  final long startedNanos;
  Phase phase = Phase.PREPARE;
  long ballot;
  final Map<NodeId, CassandraMessage.Promise> promises = new TreeMap<>();
  final List<NodeId> refused = new ArrayList<>();
  final List<NodeId> accepts = new ArrayList<>();
  final List<NodeId> commits = new ArrayList<>();
  Partition proposal;
  Action.CasDecision decision;
  int attempts;
  /** A SERIAL read runs only the prepare (and the repair of an unfinished proposal). */
  final boolean readOnly;
  /** Ballots at which this round proposed its own update (refused by some): if one of them is committed, the CAS applied. */
  final java.util.TreeSet<Long> ourProposals = new java.util.TreeSet<>();
  boolean finishingOurs;
  boolean proposedOwn;

  PaxosRound(long id, Action.Cas cas, List<NodeId> replicas, int quorum, long startedNanos, boolean readOnly) {
    this.id = id;
    this.cas = cas;
    this.replicas = replicas;
    this.quorum = quorum;
    this.startedNanos = startedNanos;
    this.readOnly = readOnly;
  }

  void reset(long newBallot) {
    ballot = newBallot;
    phase = Phase.PREPARE;
    promises.clear();
    refused.clear();
    accepts.clear();
    commits.clear();
    proposal = null;
    finishingOurs = false;
    proposedOwn = false;
    attempts++;
  }
}
