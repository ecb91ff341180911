package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.cql.Action.ReadCommand;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.cassandra.db.Slice;
import sim.cassandra.schema.SpeculativeRetryPolicy;
import sim.core.NodeId;

/**
 * One read command at the coordinator: one replica asked for data and the others for digests, answered once
 * blockFor of them have answered with the data among them (ReadCallback); on a digest mismatch every
 * contacted replica is asked for data, blockFor data answers are reconciled, and each answering replica whose
 * answer differs from the reconciled one is sent the difference (blocking read repair) before the client
 * hears back. {@link #contacted} grows by one when the read speculates.
 */
final class ReadRound {
  enum Phase { DIGEST, FULL_DATA, REPAIR, DONE }

  final long id;
  final ReadCommand command;
  final List<NodeId> contacted;
  /** The live replicas the read may contact, in the order it contacts them (readCandidates). */
  final List<NodeId> candidates;
  final int blockFor;
  final SpeculativeRetryPolicy retry;
  Phase phase = Phase.DIGEST;
  final Map<NodeId, List<Partition>> data = new TreeMap<>();
  final Map<NodeId, Long> digests = new TreeMap<>();
  final List<NodeId> repairAcks = new ArrayList<>();
  int repairsSent;
  List<Partition> result;
  boolean mismatch;

  ReadRound(long id, ReadCommand command, List<NodeId> contacted, List<NodeId> candidates, int blockFor, SpeculativeRetryPolicy retry) {
    this.id = id;
    this.command = command;
    this.contacted = contacted;
    this.candidates = candidates;
    this.blockFor = blockFor;
    this.retry = retry;
  }

  /** ReadCallback's condition: blockFor answers, the data among them. */
  boolean satisfied() {
    return digests.size() >= blockFor && !data.isEmpty();
  }

  int responses() {
    return phase == Phase.DIGEST ? digests.size() : data.size();
  }

  /** The digest of what a replica answered: a hash of the partitions' encoded bytes. */
  static long digest(List<Partition> partitions) {
    long h = 0xcbf29ce484222325L;
    for (Partition p : partitions) {
      for (byte b : PartitionCodec.encode(p)) {
        h ^= b;
        h *= 0x100000001b3L;
      }
    }
    return h;
  }

  /** Reconciles every replica's data, partition by partition, in token order. */
  List<Partition> reconcile(Slice.PrefixComparator prefixes) {
    TreeMap<DecoratedKey, Partition> merged = new TreeMap<>();
    for (List<Partition> ps : data.values()) {
      for (Partition p : ps) merged.merge(p.key(), p, (a, b) -> Partition.merge(a, b, prefixes));
    }
    return new ArrayList<>(merged.values());
  }
}
